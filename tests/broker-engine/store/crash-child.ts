// Child process for crash.test.ts: opens a store and appends messages as fast as it can until it is killed.
// It prints `READY`, then `A <seq> <commitLogOffset> <size> <queueId> <queueOffset>` for every acknowledged
// message and `F <flushedOffset>` whenever the CommitLog's durable offset moves. The parent SIGKILLs it.

import { MessageStore } from '../../../broker-engine/store/message-store'
import { crashTestBody, CRASH_TEST_CONFIG, CRASH_TOPIC } from './crash-shared'

const [dir, flushDiskType, firstSeqText] = process.argv.slice(2)
if (!dir || (flushDiskType !== 'SYNC_FLUSH' && flushDiskType !== 'ASYNC_FLUSH') || !firstSeqText) {
  console.error('usage: crash-child <dir> <SYNC_FLUSH|ASYNC_FLUSH> <firstSeq>')
  process.exit(2)
}

const store = await MessageStore.open(
  { storePathRootDir: dir, ...CRASH_TEST_CONFIG, flushDiskType },
  { log: () => undefined },
)
process.stdout.write('READY\n')

let seq = Number(firstSeqText)
let lastFlushed = -1
let out = ''
const IN_FLIGHT = flushDiskType === 'SYNC_FLUSH' ? 64 : 512

function report(): void {
  const flushed = store.getRuntimeStats().commitLogFlushedOffset
  if (flushed !== lastFlushed) {
    lastFlushed = flushed
    out += `F ${flushed}\n`
  }
  if (out) {
    process.stdout.write(out)
    out = ''
  }
}

function sendOne(): void {
  const mySeq = seq++
  const queueId = mySeq % 4
  store.appendMessage(
    {
      topic: CRASH_TOPIC,
      queueId,
      body: crashTestBody(mySeq),
      propertiesString: `KEYS\u0001k${mySeq}\u0002TAGS\u0001T${mySeq % 3}`,
    },
    (r) => {
      if (r.status === 'PUT_OK')
        out += `A ${mySeq} ${r.commitLogOffset} ${r.wroteBytes} ${queueId} ${r.queueOffset}\n`
      sendOne()
    },
  )
}

for (let i = 0; i < IN_FLIGHT; i++) sendOne()
setInterval(report, 2).unref()
setInterval(() => undefined, 1000) // keep running until killed
