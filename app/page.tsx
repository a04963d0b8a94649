// Home: the embedded store's live figures and a form to send a test message.
import { SendTestMessageForm } from './_components/send-test-message-form'
import { StoreStatsPanel } from './_components/store-stats-panel'

// Never prerender at build time: the figures come from the running engine.
export const dynamic = 'force-dynamic'

export default function HomePage() {
  return (
    <main className="mx-auto max-w-6xl space-y-6 px-6 py-8">
      <header className="flex items-baseline justify-between">
        <h1 className="text-2xl font-bold tracking-tight">mqdeck</h1>
        <p className="text-sm text-slate-500">Apache RocketMQ ops console · embedded engine</p>
      </header>
      <StoreStatsPanel />
      <SendTestMessageForm />
    </main>
  )
}
