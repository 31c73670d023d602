import type { Money } from '../shared/money.ts';
import type { Episode } from './events.ts';

/** Commands on a claim; each names it (the id of a new claim is chosen by the caller) and carries `now`. */
export type ClaimCommand =
  | {
      readonly type: 'CreateClaim';
      readonly claimId: string;
      readonly patientId: string;
      readonly payerId: string;
      readonly policyNumber: string;
      readonly episode: Episode;
      readonly claimed: Money;
      readonly diagnosisSummary: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'SubmitClaim';
      readonly claimId: string;
      readonly payerReference: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'SettleClaim';
      readonly claimId: string;
      readonly settled: Money;
      readonly payerReference: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'DenyClaim';
      readonly claimId: string;
      readonly reasonCode: string;
      readonly note: string | null;
      readonly now: Date;
    };
