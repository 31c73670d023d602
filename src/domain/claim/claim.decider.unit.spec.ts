import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definitionProblems, given } from '../shared/testing/decider-harness.ts';
import type { ClaimCommand } from './commands.ts';
import { claimDecider } from './decider.ts';
import { events, type ClaimEvent } from './events.ts';

const now = new Date('2026-11-27T10:00:00.000Z');
const at = now.toISOString();
const inr = (amountMinor: number) => ({ amountMinor, currency: 'INR' });

const create: ClaimCommand = {
  type: 'CreateClaim',
  claimId: 'c1',
  patientId: 'p1',
  payerId: 'tpa1',
  policyNumber: 'POL-99',
  episode: { kind: 'admission', admissionId: 'a1' },
  claimed: inr(1_000_000),
  diagnosisSummary: 'appendicitis, appendectomy',
  now,
};
const created: ClaimEvent = {
  type: 'claim.created',
  data: {
    claimId: 'c1',
    patientId: 'p1',
    payerId: 'tpa1',
    policyNumber: 'POL-99',
    episode: { kind: 'admission', admissionId: 'a1' },
    claimed: inr(1_000_000),
    diagnosisSummary: 'appendicitis, appendectomy',
    createdAt: at,
  },
};
const submitted: ClaimEvent = {
  type: 'claim.submitted',
  data: { claimId: 'c1', payerReference: 'X-1', submittedAt: at },
};
const settle = (amountMinor: number, currency = 'INR'): ClaimCommand => ({
  type: 'SettleClaim',
  claimId: 'c1',
  settled: { amountMinor, currency },
  payerReference: 'X-1',
  now,
});
const deny: ClaimCommand = {
  type: 'DenyClaim',
  claimId: 'c1',
  reasonCode: 'EXCL-4',
  note: 'pre-existing condition',
  now,
};

describe('claim decider', () => {
  it('registers its events; policy number is pii and diagnosis prose is clinical', () => {
    assert.deepEqual(definitionProblems(events, 'claim'), []);
    assert.deepEqual(events.find((definition) => definition.type === 'claim.created')?.sensitive, {
      policyNumber: 'pii',
      diagnosisSummary: 'clinical',
    });
  });

  it('creates then submits a claim', () => {
    assert.deepEqual(given(claimDecider, []).when(create), [created]);
    assert.deepEqual(
      given(claimDecider, [created]).when({ type: 'SubmitClaim', claimId: 'c1', payerReference: 'X-1', now }),
      [submitted],
    );
    assert.throws(() => given(claimDecider, []).when({ ...create, claimed: inr(0) }), {
      code: 'VALIDATION_FAILED',
    });
  });

  it('settles a submitted claim for at most the claimed amount, in its currency', () => {
    assert.deepEqual(given(claimDecider, [created, submitted]).when(settle(800_000)), [
      {
        type: 'claim.settled',
        data: {
          claimId: 'c1',
          claimed: inr(1_000_000),
          settled: inr(800_000),
          payerReference: 'X-1',
          settledAt: at,
        },
      },
    ]);
    assert.throws(() => given(claimDecider, [created, submitted]).when(settle(1_000_001)), {
      code: 'CLAIM_SETTLEMENT_EXCEEDS_CLAIM',
      facts: { claimId: 'c1', settledMinor: 1_000_001, claimedMinor: 1_000_000, currency: 'INR' },
    });
    assert.throws(() => given(claimDecider, [created, submitted]).when(settle(5, 'USD')), {
      code: 'CURRENCY_MISMATCH',
    });
  });

  it('denies a submitted claim with the payer’s reason code', () => {
    assert.deepEqual(given(claimDecider, [created, submitted]).when(deny), [
      {
        type: 'claim.denied',
        data: {
          claimId: 'c1',
          patientId: 'p1',
          reasonCode: 'EXCL-4',
          note: 'pre-existing condition',
          deniedAt: at,
        },
      },
    ]);
  });

  it('refuses a payload its event schema would refuse, naming the field', () => {
    assert.throws(
      () => given(claimDecider, [created, submitted]).when({ ...deny, reasonCode: 'not a code!' }),
      {
        code: 'VALIDATION_FAILED',
        facts: { field: 'reasonCode', eventType: 'claim.denied' },
      },
    );
  });

  it('refuses settling or denying an unsubmitted claim, and anything after a final state', () => {
    assert.throws(() => given(claimDecider, [created]).when(settle(1)), { code: 'INVALID_TRANSITION' });
    assert.throws(() => given(claimDecider, [created]).when(deny), { code: 'INVALID_TRANSITION' });
    const denied = [created, submitted, ...given(claimDecider, [created, submitted]).when(deny)];
    const settled = [created, submitted, ...given(claimDecider, [created, submitted]).when(settle(1))];
    for (const history of [denied, settled]) {
      for (const command of [
        create,
        deny,
        settle(1),
        { type: 'SubmitClaim', claimId: 'c1', payerReference: null, now } as const,
      ]) {
        assert.throws(() => given(claimDecider, history).when(command), { code: 'INVALID_TRANSITION' });
      }
    }
  });
});
