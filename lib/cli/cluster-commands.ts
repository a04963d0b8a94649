// clusterList: clusters and brokers with their runtime figures (mqadmin clusterList).
import 'server-only'
import type { CliCommand } from './command'
import { printPartial } from './command'
import { formatTable } from './output'

const percent = (ratio: number | undefined) =>
  ratio === undefined ? undefined : `${(ratio * 100).toFixed(1)}%`

export const clusterList: CliCommand = {
  name: 'clusterList',
  summary: 'List clusters and brokers with version, TPS, messages today and disk use',
  usage: [],
  options: {},
  async run(ctx) {
    const result = await ctx.gateway().getClusterInfo()
    printPartial(ctx, result, (info) =>
      formatTable(
        [
          'Cluster',
          'Broker',
          'Id',
          'Address',
          'Version',
          'PutTps',
          'GetTps',
          'PutToday',
          'GetToday',
          'Disk',
          'Flush',
        ],
        info.brokers.map((b) => [
          b.clusterName,
          b.brokerName,
          b.brokerId,
          b.addr,
          b.runtime?.version,
          b.runtime?.putTps,
          b.runtime?.getTps,
          b.runtime?.msgPutTotalTodayNow,
          b.runtime?.msgGetTotalTodayNow,
          percent(b.runtime?.commitLogDiskRatio),
          b.flushDiskType,
        ]),
      ),
    )
    return 0
  },
}
