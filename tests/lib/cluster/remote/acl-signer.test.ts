// lib/cluster/remote/acl-signer.ts: RocketMQ's AclClientRPCHook signature, checked against vectors computed
// outside this code base (Python's hmac/hashlib over the content RocketMQ's AclUtils builds).
import { describe, expect, it } from 'vitest'
import { createRequest, REQUEST_CODE } from '@/broker-engine/index'
import { aclSignature, signedContent, signRequest } from '@/lib/cluster/remote/acl-signer'

describe('ACL signing', () => {
  it('signs the ext field values sorted by key: AccessKey sorts before lower-case keys', () => {
    // content "rocketmq2" + "TopicTest", HMAC-SHA1 with "12345678", base64.
    const signed = signRequest(
      createRequest(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC, { extFields: { topic: 'TopicTest' } }),
      {
        accessKey: 'rocketmq2',
        secretKey: '12345678',
      },
    )
    expect(signed.extFields).toEqual({
      topic: 'TopicTest',
      AccessKey: 'rocketmq2',
      Signature: 'GeeGoP9mRvDhoVp4PD5omX0prgE=',
    })
  })

  it('appends the body and keeps Java TreeMap order (upper case < "_" < lower case)', () => {
    const cmd = createRequest(REQUEST_CODE.QUERY_MESSAGE, {
      extFields: { b: 'T', a: 'PG', _UNIQUE_KEY_QUERY: 'true' },
      body: Buffer.from('hello'),
    })
    // content "ak" + "true" + "PG" + "T" + "hello".
    expect(signedContent({ ...cmd.extFields, AccessKey: 'ak' }, cmd.body).toString()).toBe('aktruePGThello')
    expect(signRequest(cmd, { accessKey: 'ak', secretKey: 'sk' }).extFields?.Signature).toBe(
      'ncDN8UzVb+vs8xPCXNOSR06LknY=',
    )
  })

  it('signs the security token too, and never an old Signature', () => {
    const cmd = createRequest(REQUEST_CODE.GET_BROKER_CLUSTER_INFO, { extFields: { Signature: 'stale' } })
    const signed = signRequest(cmd, { accessKey: 'ak', secretKey: 'sk', securityToken: 'tok' })
    expect(signed.extFields?.SecurityToken).toBe('tok')
    expect(signed.extFields?.Signature).toBe(aclSignature(Buffer.from('aktok'), 'sk'))
  })
})
