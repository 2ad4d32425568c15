import type { Db } from './db/index.ts'

/** A public thing of a module that others link to, follow or list: what it is called and where it lives. */
export interface Resource {
  type: string
  id: string
  territoryId: string
  title: string
  path: string
}

/**
 * What a module tells the others about one type of its things. `find` answers only what anyone may read (a
 * draft consultation, a draft plan's commitment are not found): who may see what is said once, by the owner.
 */
export interface ResourceSource {
  type: string
  find(db: Db, ids: string[]): Promise<Resource[]>
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The modules' resource sources, by type: how follows and other cross-module lists name things. */
export class ResourceRegistry {
  private readonly sources = new Map<string, ResourceSource>()

  add(source: ResourceSource): void {
    if (this.sources.has(source.type)) throw new Error(`resource type ${source.type} registered twice`)
    this.sources.set(source.type, source)
  }

  /** The public things of one type among these ids (unknown, private or malformed ids are left out). */
  async find(db: Db, type: string, ids: string[]): Promise<Resource[]> {
    const source = this.sources.get(type)
    const wanted = [...new Set(ids.filter((id) => UUID.test(id)))]
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
