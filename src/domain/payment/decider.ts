import type { Decider } from '../shared/decider.ts';
import type { PaymentCommand } from './commands.ts';
import { openDispute, resolveDispute } from './disputes.ts';
import type { PaymentEvent } from './events.ts';
import { forfeitDeposit, payBalance, payDeposit } from './money-in.ts';
import { issueRefund, refuseRefund, requestRefund } from './refunds.ts';
import { evolvePayment, initialPaymentState, type PaymentState } from './state.ts';

/**
 * The payment of one booking (or walk-in). The rules live beside each kind of command; the sums they are written
 * in are in ledger.ts.
 */
function decidePayment(command: PaymentCommand, state: PaymentState): readonly PaymentEvent[] {
  switch (command.type) {
    case 'PayDeposit':
      return payDeposit(command, state);
    case 'PayBalance':
      return payBalance(command, state);
    case 'ForfeitDeposit':
      return forfeitDeposit(command, state);
    case 'RequestRefund':
      return requestRefund(command, state);
    case 'IssueRefund':
      return issueRefund(command, state);
    case 'RefuseRefund':
      return refuseRefund(command, state);
    case 'OpenDispute':
      return openDispute(command, state);
    case 'ResolveDispute':
      return resolveDispute(command, state);
  }
}

export const paymentDecider: Decider<PaymentCommand, PaymentState, PaymentEvent> = {
  initialState: initialPaymentState,
  decide: decidePayment,
  evolve: evolvePayment,
};
