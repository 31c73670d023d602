import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ValidationError } from '../../shared/errors.ts';
import type { Sql } from '../../store/engines/engine.ts';
import {
  createApiKey,
  registerJwtIssuer,
  revokeCredential,
} from '../../tenancy/credentials/credential-store.ts';
import { newApiKeySchema } from '../../tenancy/credentials/credential-schemas.ts';
import { tenantScopedEngine } from '../../tenancy/scoped-engine.ts';
import { parseWith } from '../../tenancy/zod-validation.ts';
import type { CliCommand } from './command.ts';
import { withMigratedEngine } from './with-migrated-engine.ts';

const USAGE = [
  'usage: mymedic key create --tenant T --actor-id A --kind K --role R [--label L] [--json]',
  '       mymedic key add-issuer --tenant T --public-key <ed25519 public key .pem> [--label L] [--json]',
  '       mymedic key revoke --tenant T <credentialId>',
].join('\n');

/**
 * Operator bootstrap of credentials, in the tenant's own scope (row-level security applies as it does to
 * requests). The API key is printed once and stored nowhere.
 */
export const keyCommand: CliCommand = {
  summary: 'create | add-issuer | revoke: API keys and JWT issuers of a tenant (service stopped if embedded)',
  async run(args) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        tenant: { type: 'string' },
        'actor-id': { type: 'string' },
        kind: { type: 'string' },
        role: { type: 'string' },
        label: { type: 'string' },
        'public-key': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const [action, ...rest] = positionals;
    const tenantId = values.tenant;
    if (tenantId === undefined) throw new ValidationError('--tenant', 'is required');
    const inTenant = <T>(work: (tx: Sql) => Promise<T>): Promise<T> =>
      withMigratedEngine((engine) => tenantScopedEngine(engine, tenantId).transaction(work));

    if (action === 'create' && rest.length === 0) {
      const request = parseWith(
        newApiKeySchema,
        { actorId: values['actor-id'], kind: values.kind, role: values.role, label: values.label },
        'argv',
      );
      const created = await inTenant((tx) => createApiKey(tx, tenantId, request));
      if (values.json) console.log(JSON.stringify(created));
      else {
        console.log(
          `credential ${created.credentialId}: ${created.actor.kind} ${created.actor.id} as ${created.actor.role}`,
        );
        console.log('API key (shown once, store it now):');
        console.log(created.apiKey);
      }
      return 0;
    }
    if (action === 'add-issuer' && rest.length === 0) {
      const file = values['public-key'];
      if (file === undefined) throw new ValidationError('--public-key', 'is required');
      const pem = await readFile(file, 'utf8');
      const issuer = await inTenant((tx) => registerJwtIssuer(tx, tenantId, pem, values.label));
      if (values.json) console.log(JSON.stringify(issuer));
      else
        console.log(`JWT issuer ${issuer.credentialId}: sign EdDSA tokens with kid "${issuer.credentialId}"`);
      return 0;
    }
    const [credentialId] = rest;
    if (action === 'revoke' && credentialId !== undefined && rest.length === 1) {
      await inTenant((tx) => revokeCredential(tx, tenantId, credentialId));
      console.log(`revoked ${credentialId}`);
      return 0;
    }
    console.error(USAGE);
    return 2;
  },
};
