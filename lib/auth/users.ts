// Console accounts: create, change password or role, delete, list. Password hashes never leave this module;
// a password change or deletion ends the user's sessions; the last admin cannot be demoted or deleted.
import 'server-only'
import { z } from 'zod'
import { db, type Db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { hashPassword, passwordSchema } from './passwords'
import { isRole, ROLES, type Role } from './roles'

export const usernameSchema = z
  .string()
  .trim()
  .min(2, 'at least 2 characters')
  .max(64, 'at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'letters, digits, dot, dash, underscore and @ only')

export const roleSchema = z.enum(ROLES as [Role, ...Role[]])
export const userIdSchema = z.coerce.number().int().positive()

export const createUserInputSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema,
})
export type CreateUserInput = z.input<typeof createUserInputSchema>

/** What a caller may see of an account. */
export interface UserView {
  readonly id: number
  readonly username: string
  readonly role: Role
  readonly disabled: boolean
  readonly createdAtMs: number
}

const VIEW_SELECT = { id: true, username: true, role: true, disabled: true, createdAt: true } as const

function toView(row: {
  id: number
  username: string
  role: string
  disabled: boolean
  createdAt: Date
}): UserView {
  // A role outside the set (edited by hand) reads as the weakest one rather than failing the list.
  return {
    id: row.id,
    username: row.username,
    role: isRole(row.role) ? row.role : 'viewer',
    disabled: row.disabled,
    createdAtMs: row.createdAt.getTime(),
  }
}

interface Options {
  readonly db?: Db
}

export async function listUsers(options: Options = {}): Promise<UserView[]> {
  const rows = await (options.db ?? db()).user.findMany({ select: VIEW_SELECT, orderBy: { username: 'asc' } })
  return rows.map(toView)
}

/** AppError CONFLICT when the username is taken. */
export async function createUser(input: CreateUserInput, options: Options = {}): Promise<UserView> {
  const { username, password, role } = createUserInputSchema.parse(input)
  const client = options.db ?? db()
  if (await client.user.findUnique({ where: { username }, select: { id: true } })) {
    throw new AppError('CONFLICT', `A user named ${username} already exists.`)
  }
  const row = await client.user.create({
    data: { username, passwordHash: await hashPassword(password), role },
    select: VIEW_SELECT,
  })
  return toView(row)
}

async function requireUser(client: Db, userId: number) {
  const row = await client.user.findUnique({ where: { id: userId }, select: VIEW_SELECT })
  if (!row) throw new AppError('NOT_FOUND', `User ${userId} does not exist.`)
  return row
}

/** Sets a new password and ends every session of the user (a reset locks out whoever had the old one). */
export async function setPassword(userId: number, password: string, options: Options = {}): Promise<void> {
  const client = options.db ?? db()
  const parsedPassword = passwordSchema.parse(password)
  await requireUser(client, userId)
  const passwordHash = await hashPassword(parsedPassword)
  await client.$transaction([
    client.user.update({ where: { id: userId }, data: { passwordHash } }),
    client.session.deleteMany({ where: { userId } }),
  ])
}

async function assertNotLastAdmin(client: Db, userId: number, what: string): Promise<void> {
  const others = await client.user.count({ where: { role: 'admin', disabled: false, id: { not: userId } } })
  if (others === 0) throw new AppError('CONFLICT', `Cannot ${what} the last admin; make another admin first.`)
}

export async function setRole(userId: number, role: Role, options: Options = {}): Promise<UserView> {
  const client = options.db ?? db()
  const parsedRole = roleSchema.parse(role)
  const current = await requireUser(client, userId)
  if (current.role === 'admin' && parsedRole !== 'admin') await assertNotLastAdmin(client, userId, 'demote')
  return toView(
    await client.user.update({ where: { id: userId }, data: { role: parsedRole }, select: VIEW_SELECT }),
  )
}

/** Deletes the account and its sessions (they stop working at once). */
export async function deleteUser(userId: number, options: Options = {}): Promise<void> {
  const client = options.db ?? db()
  const current = await requireUser(client, userId)
  if (current.role === 'admin') await assertNotLastAdmin(client, userId, 'delete')
  // Sessions first and explicitly: SQLite enforces the cascade only with foreign_keys on.
  await client.$transaction([
    client.session.deleteMany({ where: { userId } }),
    client.user.delete({ where: { id: userId } }),
  ])
}
