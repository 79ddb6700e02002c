export { disputeWorkflow } from './dispute';
export { proactiveScanWorkflow } from './scan';
