// The metrics history's database cases (metrics-db-cases.ts) on a real PostgreSQL server: the bulk insert's raw
// statements, groupBy with orderBy, and the transactions all run on the second provider too.
import { afterAll, beforeAll, describe } from 'vitest'
import { createPrismaClient, type Db } from '@/lib/db'
import { migrateFreshPostgres, startPostgres, type PostgresServer } from '../../helpers/postgres'
import { metricsDatabaseCases } from './metrics-db-cases'

let server: PostgresServer
let client: Db

beforeAll(async () => {
  server = await startPostgres()
  client = createPrismaClient(migrateFreshPostgres(server.url))
})

afterAll(async () => {
  await client?.$disconnect()
  await server?.stop()
})

describe('metrics history on PostgreSQL', () => {
  metricsDatabaseCases(() => client)
})
