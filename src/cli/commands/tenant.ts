import { parseArgs } from 'node:util';
import { ValidationError } from '../../shared/errors.ts';
import { allTenantsEngine } from '../../tenancy/scoped-engine.ts';
import { createTenant } from '../../tenancy/tenants.ts';
import type { CliCommand } from './command.ts';
import { withMigratedEngine } from './with-migrated-engine.ts';

const USAGE = 'usage: mymedic tenant create <tenantId> --name <name> [--json]';

/** Operator bootstrap: creates a tenant (then `mymedic key create` gives it its first credentials). */
export const tenantCommand: CliCommand = {
  summary: 'create <tenantId> --name <name>: create a tenant (run while the embedded service is stopped)',
  async run(args) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { name: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const [action, tenantId, ...rest] = positionals;
    if (action !== 'create' || tenantId === undefined || rest.length > 0) {
      console.error(USAGE);
      return 2;
    }
    if (values.name === undefined) throw new ValidationError('--name', 'is required');
    const name = values.name;
    const tenant = await withMigratedEngine((engine) =>
      allTenantsEngine(engine).transaction((tx) => createTenant(tx, tenantId, name)),
    );
    if (values.json) console.log(JSON.stringify(tenant));
    else console.log(`created tenant ${tenant.tenantId} (${tenant.name})`);
    return 0;
  },
};
