// Prisma CLI workaround (imported only by prisma.pg.config.ts, never by the app). PrismaPg 6.19 drops its shadow
// database while the shadow pool is still connected ("database ... is being accessed by other users") and never
// closes the connection it created it with. This factory closes the shadow pool first, then drops the database
// WITH (FORCE) and closes the admin connection. It also creates the URL's `?schema=` when missing, as Prisma's
// native engine does, so the unqualified migration SQL (search_path, see pool-config.ts) has somewhere to go.
import { randomUUID } from 'node:crypto'
import { PrismaPg } from '@prisma/adapter-pg'
import type { PoolConfig } from 'pg'

type PrismaPgOptions = ConstructorParameters<typeof PrismaPg>[1]

export class PrismaPgForMigrate extends PrismaPg {
  private readonly poolConfig: PoolConfig
  private readonly pgOptions: PrismaPgOptions

  constructor(poolConfig: PoolConfig, options?: PrismaPgOptions) {
    super(poolConfig, options)
    this.poolConfig = poolConfig
    this.pgOptions = options
  }

  override async connect(): ReturnType<PrismaPg['connect']> {
    const adapter = await super.connect()
    const schema = this.pgOptions?.schema
    if (schema) await adapter.executeScript(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`)
    return adapter
  }

  override async connectToShadowDb(): ReturnType<PrismaPg['connectToShadowDb']> {
    const admin = await this.connect()
    const database = `prisma_migrate_shadow_db_${randomUUID()}`
    await admin.executeScript(`CREATE DATABASE "${database}"`)
    const shadow = await new PrismaPg({ ...this.poolConfig, database }, this.pgOptions).connect()
    const schema = this.pgOptions?.schema
    if (schema) await shadow.executeScript(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`)
    const disposeShadow = shadow.dispose.bind(shadow)
    shadow.dispose = async () => {
      try {
        await disposeShadow()
        await admin.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
      } finally {
        await admin.dispose()
      }
    }
    return shadow
  }
}
