import { datedSearchSource } from '../../platform/search.ts'

/** Consultations once published, open from their first to their last day unless closed early. */
export const consultationSearch = datedSearchSource({
  key: 'consultations',
  label: 'search.section.consultations',
  table: 'consultations',
  text: 'question',
  path: '/consultations',
  closesEarly: true,
})
