/** The BI questions of seed §12 over the warehouse tables, and the warehouse export (seed §15). */
export { branchVariance, type BranchVariance } from './branch-variance.ts';
export { cancellationLeakage, type CancellationLeakage } from './cancellation-leakage.ts';
export { depositCapture, type DepositCapture } from './deposit-capture.ts';
export { exportWarehouse, type ExportOptions, type ExportReport } from './export-warehouse.ts';
export { followUpAdherence, type FollowUpAdherence } from './follow-up-adherence.ts';
export { noShowRateByDoctor, type NoShowRate } from './no-show-rate.ts';
export type { Period } from './analytics-query.ts';
export { teleConversion, type TeleConversion } from './tele-conversion.ts';
