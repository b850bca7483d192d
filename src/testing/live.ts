/*
 * Grafana Live as panels see it, for the tests of live queries: what Grafana's LiveDataStream
 * and GrafanaLiveService do with a channel's packets, reduced to what a data source can notice.
 */
import { DataFrameJSON, DataQueryResponse, LoadingState, StreamingDataFrame } from '@grafana/data';
import { GrafanaLiveSrv, LiveDataStreamOptions } from '@grafana/runtime';
import { Observable, Subject } from 'rxjs';

interface Channel {
  buffer: StreamingDataFrame;
  packets: Subject<ReturnType<StreamingDataFrame['push']>>;
}

/**
 * One buffer per channel, shared by its subscribers, starts from the first subscriber's query
 * answer. Each subscriber gets its own StreamingDataFrame: a new one when a packet changes the
 * schema, the same one extended in place otherwise. As in Grafana, the subscribers' fields
 * share their config objects with the channel's buffer. `send` delivers what RunStream sends.
 */
export function fakeLive() {
  const channels = new Map<string, Channel>();
  let keys = 0;
  const channel = (path: string): Channel => {
    let c = channels.get(path);
    if (!c) {
      c = { buffer: StreamingDataFrame.empty(), packets: new Subject() };
      channels.set(path, c);
    }
    return c;
  };
  const getDataStream = (options: LiveDataStreamOptions) =>
    new Observable<DataQueryResponse>((subscriber) => {
      const c = channel(options.addr.path ?? '');
      if (!c.buffer.hasAtLeastOnePacket() && options.frame) {
        c.buffer.push(options.frame);
      }
      const key = `xstr/${keys++}`;
      const copy = () => StreamingDataFrame.deserialize(c.buffer.serialize(undefined, options.buffer));
      let frame = copy();
      const emit = () => subscriber.next({ key, state: LoadingState.Streaming, data: [frame] });
      emit();
      const sub = c.packets.subscribe((info) => {
        if (info.schemaChanged) {
          frame = copy();
        } else {
          frame.pushNewValues(c.buffer.getValuesFromLastPacket());
        }
        emit();
      });
      return () => sub.unsubscribe();
    });
  return {
    srv: { getDataStream } as unknown as GrafanaLiveSrv,
    send: (path: string, packet: DataFrameJSON) => {
      const c = channel(path);
      c.packets.next(c.buffer.push(packet));
    },
  };
}
