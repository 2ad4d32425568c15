import { datedSearchSource } from '../../platform/search.ts'

/** Co-constructed texts once published, open while amendments are taken. */
export const textSearch = datedSearchSource({
  key: 'textes',
  label: 'search.section.texts',
  table: 'cocreated_texts',
  text: 'summary',
  path: '/textes',
})
