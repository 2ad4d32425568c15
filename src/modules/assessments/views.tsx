/** The assessments' pages, one file a part (views/): the report, the forms, the network's figures. */
export {
  assessmentPagePath,
  assessmentPath,
  type ReviewerView,
  type ReportView,
} from './views/shared.tsx'
export { AssessmentPage } from './views/report.tsx'
export { AppointPage, ImportOgpPage, RatingsPreviewPage, OverviewFormPage, RatingFormPage } from './views/forms.tsx'
export { NetworkAssessmentsPage } from './views/network.tsx'
