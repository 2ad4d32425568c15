import { assembliesResources } from './modules/assemblies/index.ts'
import { assessmentsResources } from './modules/assessments/index.ts'
import { consultationsResources } from './modules/consultations/index.ts'
import { eventsResources } from './modules/events/index.ts'
import { groupsResources } from './modules/groups/index.ts'
import { membershipResources } from './modules/membership/index.ts'
import { plansResources } from './modules/plans/index.ts'
import { referentielResources } from './modules/referentiel/index.ts'
import { territoriesResources } from './modules/territories/index.ts'
import { textsResources } from './modules/texts/index.ts'
import { ResourceRegistry } from './platform/resources.ts'

/** Every module's resources in one registry: the web process, the background worker and the CLI build the same. */
export function platformResources(): ResourceRegistry {
  // in this order on the data page: the plans first, the territories' registry and the calendar last
  return new ResourceRegistry([
    plansResources,
    membershipResources,
    assessmentsResources,
    referentielResources,
    territoriesResources,
    eventsResources,
    consultationsResources,
    groupsResources,
    textsResources,
    assembliesResources,
  ])
}
