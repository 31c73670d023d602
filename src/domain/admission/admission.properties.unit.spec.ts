import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { commandSequences, replay, runCommands, throughStore } from '../shared/testing/decider-harness.ts';
import type { AdmissionCommand, AdtOrder } from './commands.ts';
import { admissionDecider } from './decider.ts';
import { events, type AdmissionEvent } from './events.ts';

const now = fc.date({
  min: new Date('2026-01-01T00:00:00Z'),
  max: new Date('2027-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const admissionId = fc.constant('a1');
const anyOrderId = fc.option(fc.constantFrom('o1', 'o2', 'o3'), { nil: null, freq: 3 });
const ward = fc.constantFrom('W1', 'ICU');
// Commands come from parsed JSON, so nested objects have the usual prototype (fast-check may drop it).
const location = fc.record({ wardId: ward, bedId: fc.constantFrom('B1', 'B2') }, { noNullPrototype: true });
const text = fc.option(fc.string({ maxLength: 12 }), { nil: null });

const admitOrder = fc.record({ kind: fc.constant('admit' as const), patientId: fc.constantFrom('p1', 'p2') });
const transferOrder = fc.record({ kind: fc.constant('transfer' as const), toWardId: ward });
const dischargeOrder = fc.record({ kind: fc.constant('discharge' as const) });
const submitOrder = (order: fc.Arbitrary<AdtOrder>, orderId = fc.constantFrom('o1', 'o2', 'o3')) =>
  fc.record({
    type: fc.constant('SubmitAdtOrder' as const),
    admissionId,
    orderId,
    order,
    orderedBy: fc.constant('d1'),
    encounterId: fc.option(fc.constant('enc1'), { nil: null }),
    reason: text,
    now,
  });
const admit = (orderId: fc.Arbitrary<string | null> = anyOrderId) =>
  fc.record({
    type: fc.constant('AdmitPatient' as const),
    admissionId,
    patientId: fc.constantFrom('p1', 'p1', 'p2'),
    branchId: fc.constant('br1'),
    attendingDoctorId: fc.constant('d1'),
    location,
    orderId,
    admittingDiagnosis: text,
    now,
  });
const transfer = (orderId: fc.Arbitrary<string | null> = anyOrderId) =>
  fc.record({
    type: fc.constant('TransferPatient' as const),
    admissionId,
    to: location,
    orderId,
    reason: text,
    now,
  });
const discharge = (orderId: fc.Arbitrary<string | null> = anyOrderId) =>
  fc.record({
    type: fc.constant('DischargePatient' as const),
    admissionId,
    disposition: fc.constantFrom('home' as const, 'deceased' as const),
    orderId,
    summary: text,
    now,
  });
const command: fc.Arbitrary<AdmissionCommand> = fc.oneof(
  submitOrder(fc.oneof(admitOrder, transferOrder, dischargeOrder)),
  admit(),
  transfer(),
  discharge(),
);
const commands = commandSequences<AdmissionCommand>(
  // Each step names the order before it, so that orders get fulfilled (and re-fulfilment attempted).
  [
    submitOrder(admitOrder, fc.constant('o1')),
    admit(fc.constantFrom('o1', null)),
    submitOrder(transferOrder, fc.constant('o2')),
    transfer(fc.constant('o2')),
    transfer(fc.constant('o2')),
    submitOrder(dischargeOrder, fc.constant('o3')),
    discharge(fc.constantFrom('o3', 'o2')),
  ],
  command,
);

/** The ADT rules written out independently of the decider, over the events so far. */
function legal(history: readonly AdmissionEvent[], command: AdmissionCommand): boolean {
  const admittedNow = history.some((event) => event.type === 'admission.admitted');
  const discharged = history.some((event) => event.type === 'admission.discharged');
  const status = discharged ? 'discharged' : admittedNow ? 'admitted' : 'none';
  const orders = history.flatMap((event) => (event.type === 'adt.order.submitted' ? [event.data] : []));
  const fulfilled = new Set(
    history.flatMap((event) =>
      event.type !== 'adt.order.submitted' && event.data.orderId ? [event.data.orderId] : [],
    ),
  );
  const fulfils = (id: string | null, kind: string) =>
    id === null || orders.some((order) => order.orderId === id && order.kind === kind && !fulfilled.has(id));
  switch (command.type) {
    case 'SubmitAdtOrder':
      return (
        (command.order.kind === 'admit' ? status === 'none' : status === 'admitted') &&
        !orders.some((order) => order.orderId === command.orderId) &&
        !orders.some((order) => order.kind === command.order.kind && !fulfilled.has(order.orderId))
      );
    case 'AdmitPatient':
      return status === 'none' && fulfils(command.orderId, 'admit');
    case 'TransferPatient':
      return status === 'admitted' && fulfils(command.orderId, 'transfer');
    case 'DischargePatient':
      return status === 'admitted' && fulfils(command.orderId, 'discharge');
  }
}

describe('admission decider properties', () => {
  it('replaying the stored events of any command sequence rebuilds the live state', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        const { state, history } = runCommands(admissionDecider, sequence);
        assert.deepEqual(
          replay(
            admissionDecider,
            history.map((event) => throughStore(events, event)),
          ),
          state,
        );
      }),
    );
  });

  it('accepts no command the ADT rules forbid; one patient per admission; no bed change without a move', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        const { outcomes } = runCommands(admissionDecider, sequence);
        const history: AdmissionEvent[] = [];
        for (const outcome of outcomes) {
          if (outcome.refusal === null) assert.ok(legal(history, outcome.command), outcome.command.type);
          history.push(...outcome.events);
        }
        assert.ok(new Set(history.map((event) => event.data.patientId)).size <= 1, 'one patient');
        for (const event of history) {
          if (event.type === 'admission.transferred') assert.notDeepEqual(event.data.from, event.data.to);
        }
      }),
    );
  });
});
