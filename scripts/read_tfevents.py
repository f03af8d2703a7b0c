#!/usr/bin/env python3
"""An independent reader of TensorBoard event files, for checking the ones
gradscope writes (TensorBoard's own package is not installable here: no PyPI).
It checks the TFRecord framing with its own code and Debian's python3-crcmod
(CRC-32C, masked as TFRecord does), and decodes each record with Python
classes that protoc (Debian's protobuf-compiler) generates from TensorFlow's
event/summary protos, run by Debian's python3-protobuf. Usage:
read_tfevents.py PROTO_ROOT EVENT_FILE; prints one JSON document:
{"file_version", "writer", "events": [{"step", "wall_time", "values": {tag: value}}]}."""
import importlib
import json
import os
import struct
import subprocess
import sys
import tempfile

import crcmod.predefined

crc32c = crcmod.predefined.mkCrcFun('crc-32c')


def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def records(raw):
    at = 0
    while at < len(raw):
        if len(raw) - at < 12:
            raise ValueError(f'truncated record header at byte {at}')
        header = raw[at:at + 8]
        (length,) = struct.unpack('<Q', header)
        (hcrc,) = struct.unpack('<I', raw[at + 8:at + 12])
        if hcrc != masked(header):
            raise ValueError(f'bad length CRC at byte {at}')
        data = raw[at + 12:at + 12 + length]
        (dcrc,) = struct.unpack('<I', raw[at + 12 + length:at + 16 + length])
        if dcrc != masked(data):
            raise ValueError(f'bad data CRC at byte {at}')
        yield data
        at += 16 + length


def main(proto_root, path):
    out = tempfile.mkdtemp()
    protos = [os.path.join('tensorboard', 'compat', 'proto', f) for f in ('types.proto', 'tensor_shape.proto', 'resource_handle.proto', 'tensor.proto', 'histogram.proto', 'summary.proto', 'event.proto')]
    subprocess.run(['protoc', f'-I{proto_root}', f'--python_out={out}', *protos], check=True)
    sys.path.insert(0, out)
    event_pb2 = importlib.import_module('tensorboard.compat.proto.event_pb2')
    doc = {'file_version': None, 'writer': None, 'events': []}
    for data in records(open(path, 'rb').read()):
        e = event_pb2.Event()
        e.ParseFromString(data)
        if e.HasField('file_version'):
            doc['file_version'] = e.file_version
            doc['writer'] = e.source_metadata.writer
            continue
        doc['events'].append({'step': e.step, 'wall_time': e.wall_time, 'values': {v.tag: v.simple_value for v in e.summary.value}})
    print(json.dumps(doc))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
