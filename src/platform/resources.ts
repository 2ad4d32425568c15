import { isUuid } from './http/rules.ts'
import type { Db } from './db/index.ts'
import type { MessageKey } from './i18n/index.ts'
import type { ModeratedSource } from './moderation.ts'

/** A public thing of a module that others link to, follow or list: what it is called and where it lives. */
export interface Resource {
  type: string
  id: string
  /** null for the network's or the State's own things */
  territoryId: string | null
  title: string
  path: string
  /** what a list shows beside the title, by name: a group's `members`, a proposal's `number` and `assembly` */
  facts?: Record<string, string | number>
}

/**
 * What a module tells the others about one type of its things. `find` answers only what anyone may read (a
 * draft consultation, a draft plan's commitment are not found): who may see what is said once, by the owner.
 */
export interface ResourceSource {
  type: string
  find(db: Db, ids: string[]): Promise<Resource[]>
}

/**
 * Things of one module attached to a thing of another (the groups, fiches, retained contributions of a
 * commitment): the owner of the attached things answers, with its own visibility rules, so that the page of the
 * thing they are attached to does not read their tables.
 */
export interface AttachedSource {
  type: string
  /** the type of the thing they are attached to */
  to: string
  list(db: Db, toId: string): Promise<Resource[]>
}

/**
 * An open dataset a module publishes: what the data page (and a catalogue harvester) lists, in the order the
 * modules are given. Each download streams from its module's route (`sendCsv`, columns and keyset pages).
 */
export interface Dataset {
  key: string
  title: MessageKey
  description: MessageKey
  /** its downloads and pages; `label` 'page' is the human-readable page */
  links: { href: string; label: string }[]
}

/** What one module lends the registry, exported by its `index.ts`. */
export interface ModuleResources {
  /** its open datasets */
  datasets?: Dataset[]
  sources?: ResourceSource[]
  attached?: AttachedSource[]
  /** the contents people may report and moderators hide */
  moderated?: ModeratedSource[]
}

/**
 * The modules' resource sources, by type: how follows and other cross-module lists name things. Built once from
 * every module's `ModuleResources` (`src/resources.ts`), for the web process, the worker and the CLI alike.
 */
export class ResourceRegistry {
  private readonly sources = new Map<string, ResourceSource>()
  private readonly attached: AttachedSource[] = []
  private readonly moderatedSources = new Map<string, ModeratedSource>()
  private readonly datasetList: Dataset[] = []

  constructor(modules: ModuleResources[] = []) {
    for (const module of modules) {
      for (const source of module.sources ?? []) this.add(source)
      for (const source of module.attached ?? []) this.attach(source)
      for (const dataset of module.datasets ?? []) {
        if (this.datasetList.some((d) => d.key === dataset.key)) throw new Error(`dataset ${dataset.key} given twice`)
        this.datasetList.push(dataset)
      }
      for (const source of module.moderated ?? []) {
        if (this.moderatedSources.has(source.type)) throw new Error(`moderated type ${source.type} registered twice`)
        this.moderatedSources.set(source.type, source)
      }
    }
  }

  add(source: ResourceSource): void {
    if (this.sources.has(source.type)) throw new Error(`resource type ${source.type} registered twice`)
    this.sources.set(source.type, source)
  }

  /** Every module's open datasets. */
  datasets(): readonly Dataset[] {
    return this.datasetList
  }

  /** The source of one type of moderated content, or undefined for a type nobody moderates. */
  moderated(type: string): ModeratedSource | undefined {
    return this.moderatedSources.get(type)
  }

  /** Every type of moderated content, in the order the modules were given. */
  moderatedTypes(): string[] {
    return [...this.moderatedSources.keys()]
  }

  attach(source: AttachedSource): void {
    if (this.attached.some((a) => a.type === source.type && a.to === source.to))
      throw new Error(`${source.type} attached to ${source.to} registered twice`)
    this.attached.push(source)
  }

  /** The public things attached to one thing, by their type (a type with none is absent). */
  async attachedTo(db: Db, to: string, toId: string): Promise<Map<string, Resource[]>> {
    const sources = isUuid(toId) ? this.attached.filter((a) => a.to === to) : []
    const lists = await Promise.all(sources.map(async (a) => [a.type, await a.list(db, toId)] as const))
    return new Map(lists.filter(([, list]) => list.length > 0))
  }

  /** The public things of one type among these ids (unknown, private or malformed ids are left out). */
  async find(db: Db, type: string, ids: string[]): Promise<Resource[]> {
    const source = this.sources.get(type)
    const wanted = [...new Set(ids.filter((id) => isUuid(id)))]
    if (!source || wanted.length === 0) return []
    return source.find(db, wanted)
  }

  /** Public things of several types at once, keyed `type:id`. */
  async findAll(db: Db, refs: { type: string; id: string }[]): Promise<Map<string, Resource>> {
    const byType = new Map<string, string[]>()
    for (const ref of refs) byType.set(ref.type, [...(byType.get(ref.type) ?? []), ref.id])
    const found = await Promise.all([...byType].map(([type, ids]) => this.find(db, type, ids)))
    return new Map(found.flat().map((r) => [`${r.type}:${r.id}`, r]))
  }
}
