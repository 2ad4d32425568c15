import { assembliesResources } from './modules/assemblies/index.ts'
import { consultationsResources } from './modules/consultations/index.ts'
import { groupsResources } from './modules/groups/index.ts'
import { plansResources } from './modules/plans/index.ts'
import { referentielResources } from './modules/referentiel/index.ts'
import { territoriesResources } from './modules/territories/index.ts'
import { textsResources } from './modules/texts/index.ts'
import { ResourceRegistry } from './platform/resources.ts'

/** Every module's resources in one registry: the web process, the background worker and the CLI build the same. */
export function platformResources(): ResourceRegistry {
  return new ResourceRegistry([
    territoriesResources,
    plansResources,
    consultationsResources,
    groupsResources,
    textsResources,
    assembliesResources,
    referentielResources,
  ])
}
