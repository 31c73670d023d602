import type { PatientKeyring } from '../compliance/index.ts';
import type { EventRegistry } from '../domain/catalogue/event-registry.ts';
import type { DomainEvent } from '../domain/shared/decider.ts';
import type { JsonValue } from '../shared/canonical-json.ts';
import { MyMedicError } from '../shared/errors.ts';
import { uuidV7 } from '../shared/uuid-v7.ts';
import type { NewEvent, RecordedEvent } from '../store/envelope.ts';
import type { CommandMetadata } from './command-metadata.ts';

/**
 * Converts between the domain's `{ type, data }` events and the store's envelopes: validates every payload
 * against its schema, encrypts sensitive fields with the patient's key before anything is hashed or stored,
 * and decrypts them on the way back.
 */
export class EventCodec {
  constructor(
    private readonly registry: EventRegistry,
    private readonly keyring: PatientKeyring | undefined,
  ) {}

  /** `streamBranchId`: the branch of the stream's earlier events, for payloads that name no branch. */
  async toNewEvent(
    event: DomainEvent,
    metadata: CommandMetadata,
    index: number,
    streamBranchId: string | null = null,
  ): Promise<NewEvent> {
    const definition = this.registry.definition(event.type);
    const payload = this.registry.parsePayload(event.type, event.data) as JsonValue;
    return {
      eventId: metadata.eventIdFor?.(index) ?? uuidV7(),
      eventType: event.type,
      schemaVersion: definition.schemaVersion,
      branchId: branchOf(payload) ?? streamBranchId,
      occurredAt: metadata.now,
      causationId: metadata.causationId,
      correlationId: metadata.correlationId,
      actor: metadata.actor,
      payload: await this.protect(event.type, metadata.tenantId, payload),
    };
  }

  async toDomainEvent(event: RecordedEvent): Promise<DomainEvent> {
    const definition = this.registry.definition(event.eventType, event.schemaVersion);
    const hasSensitive = Object.keys(definition.sensitive).length > 0;
    const data =
      hasSensitive && this.keyring
        ? await this.keyring.revealPayload(definition, event.tenantId, event.payload)
        : event.payload;
    return { type: event.eventType, data };
  }

  private async protect(type: string, tenantId: string, payload: JsonValue): Promise<JsonValue> {
    const definition = this.registry.definition(type);
    if (Object.keys(definition.sensitive).length === 0) return payload;
    if (!this.keyring) {
      throw new MyMedicError(
        'KEYRING_REQUIRED',
        `${type} holds patient data and cannot be stored without the keyring`,
        {
          eventType: type,
        },
      );
    }
    return this.keyring.protectPayload(definition, tenantId, payload);
  }
}

/** Events that belong to a branch say so in their payload; the envelope's branch_id is taken from there. */
function branchOf(payload: JsonValue): string | null {
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
    const branchId = (payload as Record<string, JsonValue>)['branchId'];
    if (typeof branchId === 'string') return branchId;
  }
  return null;
}
