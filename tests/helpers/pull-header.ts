// The PULL_MESSAGE header of a pull that answers at once (sysFlag SUBSCRIPTION only: no commit, no suspend,
// subscription "*"), as the remote test harness, the server fuzz and the remoting benchmark send it.

export function pullNowHeader(
  consumerGroup: string,
  topic: string,
  queueId: number,
  queueOffset: number,
  maxMsgNums = 32,
): Record<string, string> {
  return {
    consumerGroup,
    topic,
    queueId: String(queueId),
    queueOffset: String(queueOffset),
    maxMsgNums: String(maxMsgNums),
    sysFlag: '4',
    commitOffset: '0',
    suspendTimeoutMillis: '0',
    subscription: '*',
    subVersion: '0',
    expressionType: 'TAG',
  }
}
