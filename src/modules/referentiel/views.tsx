/** The référentiel's pages, one file a part: shared pieces, search, a fiche and its versions, forms and queues, data. */
export { fichePath, versionPath, kindLabel, statusLabel, RefNav, type FicheNames } from './views/shared.tsx'
export { searchHref, SearchPage } from './views/search.tsx'
export { FicheContentView, licenceLink, FichePage, type VersionSummary } from './views/fiche.tsx'
export { DiffTable, VersionPage } from './views/versions.tsx'
export { FicheFormPage, KindChoicePage, QueuePage, MinePage } from './views/forms.tsx'
export {
  InventoryPage,
  OpenDataPage,
  ImportPage,
  ImportPreviewPage,
  ConflictsPage,
  type ConflictView,
} from './views/data.tsx'
