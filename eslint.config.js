// ESLint 9 flat config: Next's rules, type-aware typescript-eslint, and the layer rules of docs/ARCHITECTURE.md
// (broker-engine ← lib ← app; Prisma only in lib/db.ts) enforced with no-restricted-imports per folder.
import nextCoreWebVitals from 'eslint-config-next/core-web-vitals'
import tseslint from 'typescript-eslint'

/** One restriction: a regex on the import source and the rule it enforces. */
const rule = (regex, message) => ({ regex, message })

const NEXT_OR_REACT = rule(
  '^(next|react|react-dom)(/|$)',
  'broker-engine is pure TypeScript: no next or react.',
)
const ANY_PRISMA = rule('^(@prisma/|prisma$|prisma/)', 'Prisma is reached only through lib/db.ts.')
const GENERATED_PRISMA = rule(
  '(^@/lib/generated/|/generated/prisma)',
  'Prisma is reached only through lib/db.ts.',
)
const LIB_FROM_ENGINE = rule('^(@/lib|(\\.\\./)+lib)(/|$)', 'broker-engine may not import lib/.')
const APP_FROM_BELOW = rule('^(@/app|(\\.\\./)+app)(/|$)', 'Only app/ imports app/.')
const ENGINE_DEEP = rule(
  '^(@/broker-engine|(\\.\\./)+broker-engine)/(?!index(\\.ts)?$).+',
  'lib/ reaches the engine only through broker-engine/index.ts.',
)
const NEXT_IN_LIB = rule(
  '^next(?!/(headers|cache)$)(/|$)',
  'lib/ may import next/headers and next/cache only; the rest of Next belongs to app/.',
)
const REACT_IN_LIB = rule('^react(-dom)?(/|$)', 'lib/ is server-only service code: no react.')
const ENGINE_FROM_APP = rule(
  '^(@/broker-engine|(\\.\\./)+broker-engine)(/|$)',
  'app/ reaches the engine through lib/.',
)
const DB_FROM_APP = rule('^@/lib/db$', 'app/ calls lib/ operations, never the Prisma singleton.')

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })

export default tseslint.config(
  {
    ignores: [
      '.next/**',
      'lib/generated/**',
      'node_modules/**',
      'data/**',
      'tmp/**',
      'tests/e2e/artifacts/**',
      'tests/bench/results/**',
      'next-env.d.ts',
    ],
  },
  ...nextCoreWebVitals,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'import/no-anonymous-default-export': 'off',
    },
  },
  {
    // Plain JS (configs, scripts) is outside tsconfig: lint it without type information.
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['broker-engine/**'],
    rules: restrict(NEXT_OR_REACT, ANY_PRISMA, GENERATED_PRISMA, LIB_FROM_ENGINE, APP_FROM_BELOW),
  },
  {
    files: ['lib/**'],
    ignores: ['lib/db.ts'],
    rules: restrict(ENGINE_DEEP, ANY_PRISMA, GENERATED_PRISMA, APP_FROM_BELOW, NEXT_IN_LIB, REACT_IN_LIB),
  },
  {
    files: ['lib/db.ts'],
    rules: restrict(ENGINE_DEEP, APP_FROM_BELOW, NEXT_IN_LIB, REACT_IN_LIB),
  },
  {
    files: ['app/**'],
    rules: restrict(ENGINE_FROM_APP, ANY_PRISMA, GENERATED_PRISMA, DB_FROM_APP),
  },
)
