// The inventory service (group inventory-service): consumes the same order events as the points service
// (fan-out), reserving stock when an order is created, releasing it on cancel and deducting it on shipping.
import 'server-only'
import type { ConsumedMessage, ConsumeConcurrentlyStatus, PushConsumer } from '@/broker-engine/index'
import { startDemoConsumer, type DemoContext } from './demo-context'
import { CATALOG, parseOrderEvent } from './order-events'
import { INVENTORY_GROUP, ORDERS_TOPIC } from './topology'

/** Units on hand per SKU at start, and what a restock adds when it runs low. */
const RESTOCK_UNITS = 10_000
const RESTOCK_BELOW_UNITS = 1000

interface StockLevel {
  onHand: number
  reserved: number
}

export interface InventoryStats {
  readonly consumed: number
  readonly reservations: number
  readonly releases: number
  readonly shipments: number
  readonly restocks: number
}

export class InventoryService {
  private readonly stock = new Map<string, StockLevel>(
    CATALOG.map((item) => [item.sku, { onHand: RESTOCK_UNITS, reserved: 0 }]),
  )
  private consumer: PushConsumer | undefined
  private consumed = 0
  private reservations = 0
  private releases = 0
  private shipments = 0
  private restocks = 0

  constructor(private readonly ctx: DemoContext) {}

  async start(): Promise<void> {
    this.consumer = await startDemoConsumer(this.ctx, INVENTORY_GROUP, ORDERS_TOPIC, '*', {
      orderly: false,
      onMessage: (msg) => this.onMessage(msg),
    })
  }

  stop(): Promise<void> {
    return this.consumer?.shutdown() ?? Promise.resolve()
  }

  get stats(): InventoryStats {
    return {
      consumed: this.consumed,
      reservations: this.reservations,
      releases: this.releases,
      shipments: this.shipments,
      restocks: this.restocks,
    }
  }

  private onMessage(msg: ConsumedMessage): ConsumeConcurrentlyStatus {
    this.consumed++
    const tag = msg.tags
    if (tag !== 'created' && tag !== 'cancelled' && tag !== 'shipped') return 'CONSUME_SUCCESS'
    const order = parseOrderEvent(msg.body)
    if (!order) return 'CONSUME_SUCCESS'
    for (const line of order.lines) {
      const level = this.stock.get(line.sku)
      if (!level) continue
      // Counts may go below zero after a restart (the reservation was made by the previous process): the demo
      // keeps going rather than refusing, and restocks.
      if (tag === 'created') level.reserved += line.quantity
      else if (tag === 'cancelled') level.reserved = Math.max(0, level.reserved - line.quantity)
      else {
        level.reserved = Math.max(0, level.reserved - line.quantity)
        level.onHand -= line.quantity
        if (level.onHand < RESTOCK_BELOW_UNITS) {
          level.onHand += RESTOCK_UNITS
          this.restocks++
        }
      }
    }
    if (tag === 'created') this.reservations++
    else if (tag === 'cancelled') this.releases++
    else this.shipments++
    return 'CONSUME_SUCCESS'
  }
}
