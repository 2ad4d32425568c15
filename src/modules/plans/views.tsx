/** The plans' pages and components, one file a part: shared pieces, the dashboard, the staff's forms, the commitment page. */
export {
  OGP_VALUES,
  planPath,
  commitmentPath,
  statusLabel,
  formatDay,
  StatusBadge,
  CommitmentStatus,
  VerdictLine,
  ProgressBar,
} from './views/shared.tsx'
export { PlanPage, PlanListPage, type DashboardFilters, type PlanPageProps } from './views/dashboard.tsx'
export { dashboardFigures, burnUp, type DashboardFigures, type BurnUpPoint } from './views/dashboard-charts.tsx'
export {
  PlanFormPage,
  commitmentLabels,
  CommitmentFormPage,
  MilestoneFormPage,
  UpdateFormPage,
} from './views/forms.tsx'
export { CommitmentPage, type HistoryEntryView } from './views/commitment.tsx'
