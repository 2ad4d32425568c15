/** The consultations' pages, one file a part (views/): list and form, contributions, the consultation. */
export { consultationPath } from './views/shared.tsx'
export { ConsultationListPage, ConsultationFormPage } from './views/forms.tsx'
export { ConsultationPage } from './views/consultation.tsx'
export { ContributionEditPage } from './views/contribution-forms.tsx'
