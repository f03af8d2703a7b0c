#!/usr/bin/env python3
"""An independent check of ONNX files gradscope exports: onnx.checker (with
shape inference), then a small evaluator of the graph written with torch
operations in float64 — its own reading of each ONNX operator's definition,
not gradscope's code — whose output and parameter gradients (autograd) are
compared with gradscope's. Usage: check_onnx_export.py DIR, where DIR holds
NAME.onnx, NAME.input.json, NAME.target.json, NAME.gradscope.json
({loss, output, grads: {initializer name: gradient}}). Prints one JSON line per
model: {name, checker, maxOutputError, maxGradError} (relative to each tensor's
largest magnitude)."""
import json
import math
import os
import sys

import onnx
import torch
from onnx import numpy_helper


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def activation(name, alpha, beta):
    return {b'Sigmoid': torch.sigmoid, b'Tanh': torch.tanh, b'Relu': torch.relu,
            b'HardSigmoid': lambda v: torch.clamp(alpha * v + beta, 0, 1)}[name]


def activations(a, defaults):
    """The node's activation functions; activation_alpha/beta are consumed by the ones that take them, in order."""
    names = a.get('activations', defaults)
    alphas, betas, k, out = list(a.get('activation_alpha', [])), list(a.get('activation_beta', [])), 0, []
    for n in names:
        if n == b'HardSigmoid':
            out.append(activation(n, alphas[k] if k < len(alphas) else 0.2, betas[k] if k < len(betas) else 0.5))
            k += 1
        else:
            out.append(activation(n, None, None))
    return out


def rnn(op, a, ins):
    X, W, R = ins[0], ins[1][0], ins[2][0]
    H = a['hidden_size']
    B = ins[3][0] if len(ins) > 3 and ins[3] is not None else torch.zeros(2 * W.shape[0], dtype=X.dtype)
    G = W.shape[0]
    Wb, Rb = B[:G], B[G:]
    T, N, _ = X.shape
    h = torch.zeros(N, H, dtype=X.dtype)
    c = torch.zeros(N, H, dtype=X.dtype)
    ys = []
    for t in range(T):
        x = X[t]
        if op == 'LSTM':  # gates i o f c; activations f (gates), g (cell input), h (output)
            fa, ga, ha = activations(a, [b'Sigmoid', b'Tanh', b'Tanh'])
            z = x @ W.T + Wb + h @ R.T + Rb
            i, o, f, g = (z[:, k * H:(k + 1) * H] for k in range(4))
            c = fa(f) * c + fa(i) * ga(g)
            h = fa(o) * ha(c)
        elif op == 'GRU':  # gates z r h
            fa, ga = activations(a, [b'Sigmoid', b'Tanh'])
            xw = x @ W.T + Wb
            zg = fa(xw[:, :H] + h @ R[:H].T + Rb[:H])
            r = fa(xw[:, H:2 * H] + h @ R[H:2 * H].T + Rb[H:2 * H])
            if a.get('linear_before_reset', 0):
                n = ga(xw[:, 2 * H:] + r * (h @ R[2 * H:].T + Rb[2 * H:]))
            else:
                n = ga(xw[:, 2 * H:] + (r * h) @ R[2 * H:].T + Rb[2 * H:])
            h = (1 - zg) * n + zg * h
        else:
            f = {b'Tanh': torch.tanh, b'Relu': torch.relu, b'Sigmoid': torch.sigmoid}[a.get('activations', [b'Tanh'])[0]]
            h = f(x @ W.T + Wb + h @ R.T + Rb)
        ys.append(h)
    Y = torch.stack(ys, 0).unsqueeze(1)
    return [Y, h.unsqueeze(0)]


def run(node, ins):
    a = attrs(node)
    op = node.op_type
    x = ins[0] if ins else None
    if op == 'Gemm':
        A = ins[0].T if a.get('transA', 0) else ins[0]
        Bm = ins[1].T if a.get('transB', 0) else ins[1]
        y = a.get('alpha', 1.0) * (A @ Bm)
        return [y + a.get('beta', 1.0) * ins[2] if len(ins) > 2 else y]
    simple = {'Relu': torch.relu, 'Sigmoid': torch.sigmoid, 'Tanh': torch.tanh, 'Erf': torch.erf, 'Abs': torch.abs, 'Log': torch.log, 'Exp': torch.exp,
              'Softplus': lambda v: torch.log1p(torch.exp(v)), 'Softsign': lambda v: v / (1 + torch.abs(v)), 'Identity': lambda v: v, 'Neg': lambda v: -v,
              'HardSwish': lambda v: v * torch.clamp(v / 6 + 0.5, 0, 1)}
    if op in simple:
        return [simple[op](x)]
    if op in ('Add', 'Sub', 'Mul', 'Div', 'Pow'):
        return [{'Add': torch.add, 'Sub': torch.sub, 'Mul': torch.mul, 'Div': torch.div, 'Pow': torch.pow}[op](ins[0], ins[1])]
    if op == 'LeakyRelu':
        al = a.get('alpha', 0.01)
        return [torch.where(x >= 0, x, al * x)]
    if op == 'Elu':
        al = a.get('alpha', 1.0)
        return [torch.where(x > 0, x, al * (torch.exp(x) - 1))]
    if op == 'Celu':
        al = a.get('alpha', 1.0)
        return [torch.clamp(x, min=0) + torch.clamp(al * (torch.exp(x / al) - 1), max=0)]
    if op == 'Selu':
        al, ga = a.get('alpha', 1.67326319217681884765625), a.get('gamma', 1.05070102214813232421875)
        return [ga * torch.where(x > 0, x, al * (torch.exp(x) - 1))]
    if op == 'PRelu':
        return [torch.where(x >= 0, x, ins[1] * x)]
    if op == 'HardSigmoid':
        return [torch.clamp(a.get('alpha', 0.2) * x + a.get('beta', 0.5), 0, 1)]
    if op == 'Clip':
        return [torch.clamp(x, ins[1].item() if len(ins) > 1 else None, ins[2].item() if len(ins) > 2 else None)]
    if op == 'Softmax':
        return [torch.softmax(x, a.get('axis', -1))]
    if op == 'BatchNormalization':
        return [(x - ins[3]) / torch.sqrt(ins[4] + a.get('epsilon', 1e-5)) * ins[1] + ins[2]]
    if op == 'LayerNormalization':
        m = x.mean(-1, keepdim=True)
        v = ((x - m) ** 2).mean(-1, keepdim=True)
        return [(x - m) / torch.sqrt(v + a.get('epsilon', 1e-5)) * ins[1] + (ins[2] if len(ins) > 2 else 0)]
    if op == 'Dropout':
        return [x]
    if op == 'Reshape':
        return [x.reshape([int(v) for v in ins[1].tolist()])]
    if op == 'Transpose':
        return [x.permute(*a['perm'])]
    if op == 'Squeeze':
        return [x.squeeze(int(ins[1][0]))]
    if op == 'Slice':
        s, e, ax = int(ins[1][0]), int(ins[2][0]), int(ins[3][0])
        return [x.narrow(ax, s, e - s)]
    if op in ('LSTM', 'GRU', 'RNN'):
        return rnn(op, a, ins)
    raise ValueError(f'the checker does not evaluate {op}')


def evaluate(m, x, params):
    vals = {'input': x, **params}
    for node in m.graph.node:
        outs = run(node, [vals[i] if i else None for i in node.input])
        for n, v in zip(node.output, outs):
            vals[n] = v
    return vals[m.graph.output[0].name]


def rel(a, e):
    a, e = torch.as_tensor(a, dtype=torch.float64).reshape(-1), torch.as_tensor(e, dtype=torch.float64).reshape(-1)
    scale = e.abs().max().item()
    d = (a - e).abs().max().item()
    return d / scale if scale > 0 else d


def main(d):
    for f in sorted(os.listdir(d)):
        if not f.endswith('.onnx'):
            continue
        name = f[:-5]
        m = onnx.load(os.path.join(d, f))
        onnx.checker.check_model(m, full_check=True)
        ref = json.load(open(os.path.join(d, name + '.gradscope.json')))
        params = {t.name: torch.tensor(numpy_helper.to_array(t).astype('float64') if t.data_type in (1, 11) else numpy_helper.to_array(t), requires_grad=t.data_type in (1, 11) and t.name in ref['grads'])
                  for t in m.graph.initializer}
        shape = [d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim[1:]]
        x = torch.tensor(json.load(open(os.path.join(d, name + '.input.json'))), dtype=torch.float64)
        x = x.reshape(x.shape[0], *shape)
        y = torch.tensor(json.load(open(os.path.join(d, name + '.target.json'))), dtype=torch.float64)
        out = evaluate(m, x, params)
        if ref.get('appended') == 'softmax':  # a logits model: the loss applies softmax, as gradscope does
            out = torch.softmax(out, 1)
        elif ref.get('appended') == 'sigmoid':
            out = torch.sigmoid(out)
        loss = {'quadratic': lambda: 0.5 * ((out - y) ** 2).sum(1).mean(), 'cross_entropy': lambda: -(y * torch.log(out)).sum(1).mean(),
                'binary_cross_entropy': lambda: -(y * torch.log(out) + (1 - y) * torch.log(1 - out)).sum(1).mean()}[ref['loss']]()
        loss.backward()
        grad_err = max(rel(params[k].grad, g) for k, g in ref['grads'].items())
        print(json.dumps({'name': name, 'checker': 'ok', 'ops': sorted({n.op_type for n in m.graph.node}), 'maxOutputError': rel(out.detach(), ref['output']) if ref['output'] is not None else None, 'maxGradError': grad_err, 'lossError': abs(loss.item() - ref['loss_value']) / abs(ref['loss_value'])}))


if __name__ == '__main__':
    main(sys.argv[1])
