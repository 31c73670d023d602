/**
 * The one way a command route runs a domain command: the route builds the command from its parsed input, and
 * this file does the rest — a CommandService over the caller's tenant (its store and a PatientKeyring that
 * encrypts patient fields) that runs each attempt of the command in one transaction, the metadata (actor,
 * correlation id, request id as causation, the app clock as `now`), the expected version from If-Match, and
 * the answer: `201` when a creating command appended, `200` otherwise (an idempotent repeat that decided
 * nothing answers 200 with the current version), `ETag` = the aggregate's version, body
 * `{ <aggregate>Id, version, events, tenantSeq }` with the appended event types only — never patient data —
 * and the tenant position a query may wait for (`?minTenantSeq=`, read-your-writes).
 *
 * If-Match: `"n"` → the command is decided on version n exactly (412 otherwise, no retry); absent → decided on
 * fresh state, retried on a conflict (safe: deciding is pure); `*` → the stream must exist. Creating commands
 * refuse If-Match (400): whether the id is taken is the decider's call (an idempotent repeat or a 409).
 *
 * @example
 * export const removeBranch = defineCommandRoute({
 *   method: 'POST', url: '/v1/branches/:branchId/remove', summary: 'Remove a branch', tags: ['branches'],
 *   permission: 'branches:write', aggregate: 'branch', creates: false,
 *   params: z.strictObject({ branchId: identifierSchema }),
 *   body: z.strictObject({ reasonCode: z.enum(BRANCH_REMOVAL_REASONS) }),
 *   command: ({ params, body }, ctx) => ({ type: 'RemoveBranch', ...params, ...body, now: ctx.now }),
 * });
 * // POST /v1/branches/br-1/remove  If-Match: "1"  → 200, ETag: "2", { branchId: 'br-1', version: 2, events: ['branch.removed'] }
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { BookingCommand } from '../../domain/booking/commands.ts';
import type { MasterKeys } from '../../compliance/master-key.ts';
import { PatientKeyring } from '../../compliance/patient-keyring.ts';
import { CommandService, type CommandResult } from '../../commands/command-service.ts';
import type { CommandMetadata } from '../../commands/command-metadata.ts';
import {
  SINGLE_STREAM_AGGREGATES,
  type CommandOf,
  type SingleStreamAggregateType,
} from '../../commands/single-stream-aggregates.ts';
import { MyMedicError } from '../../shared/errors.ts';
import type { StreamId } from '../../store/envelope.ts';
import { ConcurrencyError } from '../../store/errors.ts';
import type { ExpectedVersion } from '../../store/expected-version.ts';
import { transactionEngine } from '../../tenancy/transaction-engine.ts';
import { defineApiRoute, type ApiRoute, type ApiRouteSpec } from '../api-route.ts';
import { etag } from '../concurrency.ts';
import type { RequestContext } from '../request-context.ts';

/** Every aggregate a command route may address: the single-stream ones and bookings. */
export type CommandAggregate = SingleStreamAggregateType | 'booking';

export type AggregateCommand<A extends CommandAggregate> = A extends SingleStreamAggregateType
  ? CommandOf<A>
  : BookingCommand;

/** What a route's `command` builder gets besides its input. */
export interface CommandContext extends RequestContext {
  /** The app clock's reading for this request: the command's `now`. */
  readonly now: Date;
  /** Over the caller's tenant, for builders that must read an aggregate first (own-record checks). */
  readonly commands: CommandService;
}

export interface CommandRouteSpec<
  A extends CommandAggregate,
  P extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
> extends Omit<ApiRouteSpec<P, undefined, B>, 'handler' | 'responses' | 'concurrency' | 'querystring'> {
  readonly aggregate: A;
  /** True for commands that start a stream under a caller-chosen id (201; If-Match refused). */
  readonly creates: boolean;
  /** The domain command; may check the caller's right to it (e.g. `ctx.requireOwnRecord`). */
  command(
    input: { readonly params: z.output<NonNullable<P>>; readonly body: z.output<NonNullable<B>> },
    ctx: CommandContext,
  ): AggregateCommand<A> | Promise<AggregateCommand<A>>;
}

/** The response body of every command route. */
export function commandResponseSchema(aggregate: CommandAggregate) {
  return z.strictObject({
    [idFieldOf(aggregate)]: z.string(),
    version: z.number().int().describe('the aggregate version after the command; also the ETag'),
    events: z.array(z.string()).describe('types of the events the command appended (none: a repeat)'),
    tenantSeq: z
      .number()
      .int()
      .nullable()
      .describe(
        'tenant log position of the last appended event; pass it as ?minTenantSeq= to read your write',
      ),
  });
}

/** `booking` → `bookingId`, `portal_request` → `portalRequestId`. */
export function idFieldOf(aggregate: CommandAggregate): string {
  return `${aggregate.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())}Id`;
}

export function defineCommandRoute<
  A extends CommandAggregate,
  P extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(spec: CommandRouteSpec<A, P, B>): ApiRoute {
  const { aggregate, creates, command, ...route } = spec;
  const response = commandResponseSchema(aggregate);
  return {
    method: spec.method,
    url: spec.url,
    register(app, services) {
      const masterKeys = services.masterKeys;
      if (!masterKeys) {
        throw new MyMedicError('MASTER_KEYS_MISSING', 'command routes need buildApp({ masterKeys })', {
          route: `${spec.method} ${spec.url}`,
        });
      }
      defineApiRoute({
        ...route,
        concurrency: creates ? 'create' : 'append',
        responses: creates ? { 201: response, 200: response } : { 200: response },
        async handler(input, ctx, reply) {
          const commandCtx: CommandContext = {
            ...ctx,
            now: services.clock(),
            commands: commandServiceOf(ctx, masterKeys),
          };
          const built = await command(
            input as { params: z.output<NonNullable<P>>; body: z.output<NonNullable<B>> },
            commandCtx,
          );
          return runCommand(commandCtx, aggregate, built, input.expectedVersion, creates, reply);
        },
      }).register(app, services);
    },
  };
}

/**
 * A CommandService over the caller's tenant that runs each attempt of a command, loads and append, in one
 * transaction: one BEGIN/COMMIT per attempt instead of one per stream read. The attempt's keyring reads and
 * creates patient keys in that transaction too, and is dropped with it, so a rolled-back key is never cached
 * (and PGlite's single connection is never asked for a second one while the transaction holds it).
 */
function commandServiceOf(ctx: RequestContext, masterKeys: MasterKeys): CommandService {
  return new CommandService(ctx.store, new PatientKeyring(ctx.engine, masterKeys), (work) =>
    ctx.transaction((tx) =>
      work({
        store: tx.store,
        keyring: new PatientKeyring(transactionEngine(tx.sql, ctx.engine), masterKeys),
      }),
    ),
  );
}

async function runCommand<A extends CommandAggregate>(
  ctx: CommandContext,
  aggregate: A,
  command: AggregateCommand<A>,
  expected: ExpectedVersion,
  creates: boolean,
  reply: FastifyReply,
): Promise<Record<string, unknown>> {
  const aggregateId = streamIdOf(aggregate, command);
  const stream: StreamId = { tenantId: ctx.tenantId, aggregateType: aggregate, aggregateId };
  const pinned = await pinnedVersion(ctx, stream, expected);
  const metadata: CommandMetadata = { tenantId: ctx.tenantId, ...ctx.eventMetadata, now: ctx.now };
  const result =
    aggregate === 'booking'
      ? await ctx.commands.book(command as BookingCommand, metadata, pinned)
      : await executeSingleStream(ctx.commands)(
          aggregate as SingleStreamAggregateType,
          command,
          metadata,
          pinned,
        );
  reply.code(creates && result.appended ? 201 : 200).header('etag', etag(result.version));
  return {
    [idFieldOf(aggregate)]: aggregateId,
    version: result.version,
    events: result.appended ? result.events.map((event) => event.type) : [],
    tenantSeq: result.appended?.lastTenantSeq ?? null,
  };
}

/**
 * CommandService.execute without its generic pairing of aggregate and command type, which CommandRouteSpec
 * already enforces (TypeScript cannot evaluate the pairing over the union of every aggregate).
 */
function executeSingleStream(commands: CommandService) {
  const execute = commands.execute as unknown as (
    aggregateType: SingleStreamAggregateType,
    command: unknown,
    metadata: CommandMetadata,
    expectedVersion: number | undefined,
  ) => Promise<CommandResult>;
  return execute.bind(commands);
}

function streamIdOf<A extends CommandAggregate>(aggregate: A, command: AggregateCommand<A>): string {
  if (aggregate === 'booking') return (command as BookingCommand).bookingId;
  const definition = SINGLE_STREAM_AGGREGATES[aggregate as SingleStreamAggregateType];
  return (definition.streamIdOf as (command: unknown) => string)(command);
}

/**
 * The version the shell must decide on, if any. `*` is checked here rather than pinned: a stream, once
 * written, never goes back to version 0, so "it exists now" still holds when the decision appends.
 */
async function pinnedVersion(
  ctx: RequestContext,
  stream: StreamId,
  expected: ExpectedVersion,
): Promise<number | undefined> {
  if (typeof expected === 'number') return expected;
  if (expected === 'stream_exists') {
    const actual = await ctx.store.streamVersion(stream);
    if (actual === 0) throw new ConcurrencyError(stream, expected, actual);
  }
  return undefined;
}
