import { parseArgs } from 'node:util';
import { ALL_MIGRATIONS } from '../../migration-sets.ts';
import { openEngine } from '../../store/engines/open-engine.ts';
import { migrate } from '../../store/migrate.ts';
import { verifyChains } from '../../store/verify/verify-chain.ts';
import type { CliCommand } from './command.ts';

export const verifyCommand: CliCommand = {
  summary:
    'walk the tamper-evident hash chains [--tenant T] [--json]; exits 1 naming the first bad tenant_seq',
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: { tenant: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const engine = await openEngine();
    try {
      await migrate(engine, ALL_MIGRATIONS);
      const reports = await verifyChains(engine, values.tenant ? { tenantId: values.tenant } : {});
      for (const report of reports) {
        if (values.json) console.log(JSON.stringify(report));
        else if (report.ok) {
          console.log(
            `ok       tenant ${report.tenantId}: ${report.eventsChecked} events, head ${report.headHash}`,
          );
        } else {
          console.log(
            `TAMPERED tenant ${report.tenantId}: first bad tenant_seq ${report.firstBadSeq}: ${report.problem}`,
          );
        }
      }
      if (values.tenant && reports.length === 0) {
        console.error(`no events or chain head for tenant ${values.tenant}`);
        return 1;
      }
      return reports.every((report) => report.ok) ? 0 : 1;
    } finally {
      await engine.close();
    }
  },
};
