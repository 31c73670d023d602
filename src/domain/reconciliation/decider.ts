import { ValidationError } from '../../shared/errors.ts';
import type { Decider } from '../shared/decider.ts';
import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { emit } from '../shared/emit.ts';
import { invalidTransition } from '../shared/invalid-transition.ts';
import { requireCurrency, requireNonNegative } from '../shared/money-rules.ts';
import { toInstant } from '../shared/payload-schemas.ts';
import type { ReconciliationCommand } from './commands.ts';
import {
  figuresRecorded,
  reconciliationOpened,
  reconciliationSettled,
  varianceRecorded,
  type ReconciliationEvent,
} from './events.ts';
import { reconciliationIdOf } from './reconciliation-id.ts';
import {
  evolveReconciliation,
  initialReconciliationState,
  totalsOf,
  type ReconciliationState,
} from './state.ts';

/**
 * A branch's business day: opened, figures recorded per method (recounts replace them), a non-zero variance
 * explained, then settled once. Nothing is accepted after settlement.
 */
function decideReconciliation(
  command: ReconciliationCommand,
  state: ReconciliationState,
): readonly ReconciliationEvent[] {
  const { reconciliationId, now } = command;
  switch (command.type) {
    case 'OpenReconciliation': {
      requireStatus(state, 'none', command.type);
      const { branchId, businessDate, currency } = command;
      if (reconciliationId !== reconciliationIdOf(branchId, businessDate)) {
        throw new ValidationError('reconciliationId', 'must be <branchId>:<businessDate>', {
          reconciliationId,
        });
      }
      return [
        emit(reconciliationOpened, {
          reconciliationId,
          branchId,
          businessDate,
          currency,
          openedAt: toInstant(now),
        }),
      ];
    }
    case 'RecordFigures': {
      const { currency } = requireOpen(state, command.type);
      for (const [field, money] of [
        ['expected', command.expected],
        ['collected', command.collected],
      ] as const) {
        requireNonNegative(field, money);
        requireCurrency(currency, money, { field });
      }
      const { method, expected, collected } = command;
      return [
        emit(figuresRecorded, { reconciliationId, method, expected, collected, recordedAt: toInstant(now) }),
      ];
    }
    case 'RecordVariance': {
      const { currency } = requireOpen(state, command.type);
      const { varianceMinor } = requireFigures(state, reconciliationId);
      if (varianceMinor === 0) {
        throw new DomainRuleError(
          'RECONCILIATION_NO_VARIANCE',
          'collected equals expected; there is nothing to explain',
          {
            reconciliationId,
          },
        );
      }
      return [
        emit(varianceRecorded, {
          reconciliationId,
          variance: { amountMinor: varianceMinor, currency },
          reasonCode: command.reasonCode,
          recordedAt: toInstant(now),
        }),
      ];
    }
    case 'SettleReconciliation': {
      const { branchId, businessDate, currency } = requireOpen(state, command.type);
      const { expectedMinor, collectedMinor, varianceMinor } = requireFigures(state, reconciliationId);
      if (varianceMinor !== 0 && state.varianceReason === null) {
        throw new DomainRuleError(
          'RECONCILIATION_VARIANCE_UNEXPLAINED',
          'a variance must be explained before settling',
          {
            reconciliationId,
            varianceMinor,
            currency,
          },
        );
      }
      return [
        emit(reconciliationSettled, {
          reconciliationId,
          branchId,
          businessDate,
          expected: { amountMinor: expectedMinor, currency },
          collected: { amountMinor: collectedMinor, currency },
          variance: { amountMinor: varianceMinor, currency },
          varianceReasonCode: varianceMinor === 0 ? null : state.varianceReason,
          settledAt: toInstant(now),
        }),
      ];
    }
  }
}

function requireStatus(
  state: ReconciliationState,
  expected: ReconciliationState['status'],
  command: string,
): void {
  if (state.status !== expected) throw invalidTransition('reconciliation', state.status, command);
}

function requireOpen(state: ReconciliationState, command: string): NonNullable<ReconciliationState['day']> {
  if (state.status !== 'open' || state.day === null)
    throw invalidTransition('reconciliation', state.status, command);
  return state.day;
}

function requireFigures(state: ReconciliationState, reconciliationId: string): ReturnType<typeof totalsOf> {
  if (Object.keys(state.figures).length === 0) {
    throw new DomainRuleError('RECONCILIATION_NO_FIGURES', 'no figures were recorded for this day', {
      reconciliationId,
    });
  }
  return totalsOf(state);
}

export const reconciliationDecider: Decider<ReconciliationCommand, ReconciliationState, ReconciliationEvent> =
  {
    initialState: initialReconciliationState,
    decide: decideReconciliation,
    evolve: evolveReconciliation,
  };
