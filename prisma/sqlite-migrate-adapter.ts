// Prisma CLI workaround (imported only by prisma.config.ts, never by the app).
// The wasm schema engine replays a whole migration.sql through executeRaw on the shadow database; libsql then
// silently runs only the first statement, which later shows up as false drift. This adapter factory sends
// parameterless multi-statement SQL on the shadow connection to executeScript() instead.
import { PrismaLibSQL } from '@prisma/adapter-libsql'
import type { SqlDriverAdapter, SqlQuery } from '@prisma/driver-adapter-utils'

/** True when `sql` holds more than one statement (a `;` followed by anything but whitespace or comments). */
function isMultiStatement(sql: string): boolean {
  const withoutComments = sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '')
  const statements = withoutComments.split(';').filter((part) => part.trim() !== '')
  return statements.length > 1
}

function withScriptRouting(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter)
  adapter.executeRaw = async (query: SqlQuery): Promise<number> => {
    if (query.args.length === 0 && isMultiStatement(query.sql)) {
      await adapter.executeScript(query.sql)
      return 0
    }
    return executeRaw(query)
  }
  return adapter
}

export class PrismaLibSQLForMigrate extends PrismaLibSQL {
  override async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return withScriptRouting(await super.connectToShadowDb())
  }
}
