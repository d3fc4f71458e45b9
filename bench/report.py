#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/report.py RAW OUTDIR [QEMU_VERSION]: table (stdout), OUTDIR/latest.json,
gnuplot scripts OUTDIR/*.gp (+ .dat) for bench/run.

RAW is bench/guest.sh's output (and bench/dpdk.sh's): "R SYSTEM SCENARIO POINT ROUND PPS SENT FWD"
lines (ROUND 0 = warm-up, ignored) and "# ..." information lines."""
import json
import os
import statistics
import sys
import time

SYSNAME = {"vsw": "vsw", "br": "bridge", "ovs": "ovs-dp", "tc": "tc-mirred"}
SCNAME = {"aa": "access->access", "ad": "access->access, dummy", "tt": "trunk->trunk", "at": "access->trunk (push)",
          "fl": "flood (bcast, 8 ports)", "learn": "learn (new src MACs)",
          "churn": "learn + established 1:1",
          "fdb": "FDB size", "rules": "user rules", "vlans": "trunk VLANs", "ports": "ports",
          "rmiss": "user rules, all misses", "vhost": "vhost guest->guest",
          "dpdk": "vhost DPDK testpmd"}
# scaling scenarios: (x axis label, traffic)
SCALING = {"fdb": ("static FDB entries", "access->access"),
           "rules": ("user rules (not matching; cache hits)", "access->access"),
           "rmiss": ("user rules (not matching; every frame a cache miss)", "access->access"),
           "vlans": ("VLANs on both trunk ports", "trunk->trunk, VLAN 10"),
           "ports": ("ports on the switch", "access->access")}
COPIES = {"fl": 8}
FWD_OK = 0.99


def main():
    raw, outdir = sys.argv[1], sys.argv[2]
    qemu = sys.argv[3] if len(sys.argv) > 3 else ""
    meas = {}
    info = []
    for line in open(raw):
        w = line.split()
        if line.startswith("# "):
            info.append(line[2:].rstrip())
        if len(w) != 8 or w[0] != "R":
            continue
        _, s, sc, point, rnd, pps, sent, fwd = w
        if int(rnd) == 0:
            continue
        meas.setdefault((sc, int(point), s), []).append(
            {"round": int(rnd), "pps": int(pps), "sent": int(sent), "forwarded": int(fwd)})

    summary = {}
    for key, ms in meas.items():
        sc = key[0]
        pps = [m["pps"] for m in ms]
        sent = sum(m["sent"] for m in ms)
        fwd = sum(m["forwarded"] for m in ms)
        frac = fwd / (sent * COPIES.get(sc, 1)) if sent else 0.0
        med = statistics.median(pps)
        summary[key] = {"median_pps": med, "min_pps": min(pps), "max_pps": max(pps),
                        "spread": (max(pps) - min(pps)) / med if med else 0.0,
                        "ns_per_frame": 1e9 / med if med else None,
                        "forwarded_fraction": frac, "forwards": frac >= FWD_OK,
                        "rounds": len(pps)}

    def ratio(sc, point, s, ref):
        a, b = summary.get((sc, point, s)), summary.get((sc, point, ref))
        if not a or not b or not a["forwards"] or not b["forwards"]:
            return None
        return a["median_pps"] / b["median_pps"]

    for (sc, point, s), v in summary.items():
        v["ratio"] = {ref: ratio(sc, point, s, ref) for ref in ("br", "ovs", "tc")
                      if (sc, point, ref) in summary and ref != s}
        fl = summary.get((sc, point, "tc"))
        v["ns_over_floor"] = (v["ns_per_frame"] - fl["ns_per_frame"]
                              if fl and s != "tc" and v["forwards"] and fl["forwards"] else None)

    def f_ratio(x):
        return "%.2fx" % x if x is not None else "-"

    out = []
    p = out.append
    p("vsw forwarding benchmark (QEMU TCG, -icount shift=0,sleep=off, 1 vCPU, Debian 6.1 guest)")
    p("pps = pktgen's own rate in guest time; under icount 1 guest ns = 1 instruction,")
    p("so ns/frame ~ instructions per frame. Only ratios within one run mean anything.")
    if any(sc == "dpdk" for sc, _, _ in summary):
        p("The 'vhost DPDK testpmd' rows come from a second boot (-cpu max, for DPDK's SSE4.2):")
        p("compare them with each other only.")
    p("")
    core = sorted({(sc, pt) for sc, pt, _ in summary if sc in ("aa", "ad", "tt", "at", "fl", "learn", "churn", "vhost", "dpdk")},
                  key=lambda k: list(SCNAME).index(k[0]))
    hdr = "%-22s %-10s %9s %9s %9s %6s %7s %8s %8s %7s %7s %7s" % (
        "scenario", "system", "median", "min", "max", "sprd", "fwd", "ns/frm", "+ns/tc",
        "x br", "x ovs", "x tc")
    p(hdr)
    p("-" * len(hdr))
    order = ["vsw", "br", "ovs", "tc"]
    for sc, pt in core:
        for s in order:
            v = summary.get((sc, pt, s))
            if not v:
                continue
            flag = "" if v["forwards"] else "  NOT FORWARDING: not ranked"
            r = v["ratio"]
            p("%-22s %-10s %9d %9d %9d %5.1f%% %6.1f%% %8.0f %8s %7s %7s %7s%s" % (
                SCNAME[sc], SYSNAME[s], v["median_pps"], v["min_pps"], v["max_pps"],
                100 * v["spread"], 100 * v["forwarded_fraction"], v["ns_per_frame"],
                "%+.0f" % v["ns_over_floor"] if v["ns_over_floor"] is not None else "-",
                f_ratio(r.get("br")), f_ratio(r.get("ovs")), f_ratio(r.get("tc")), flag))
        p("")

    plots = []
    for sc in SCALING:
        pts = sorted({pt for s2, pt, _ in summary if s2 == sc})
        if not pts:
            continue
        systems = [s for s in order if any((sc, pt, s) in summary for pt in pts)]
        p("%s scaling (median pps; change vs the first point; fwd = forwarded fraction)" % SCNAME[sc])
        p("%-10s " % {"vlans": "VLANs", "ports": "ports"}.get(sc, "entries") + " ".join("%-34s" % SYSNAME[s] for s in systems))
        for pt in pts:
            cells = []
            for s in systems:
                v = summary.get((sc, pt, s))
                first = summary.get((sc, pts[0], s))
                if not v:
                    cells.append("%-34s" % "-")
                    continue
                chg = (v["median_pps"] / first["median_pps"] - 1) * 100
                xbr = v["ratio"].get("br")
                cells.append("%-34s" % ("%d (%+.1f%%, fwd %.0f%%)%s%s" % (
                    v["median_pps"], chg, 100 * v["forwarded_fraction"],
                    " %.2fx br" % xbr if xbr is not None else "",
                    "" if v["forwards"] else " NOT FWD")))
            p("%-10d " % pt + " ".join(cells))
        p("")
        dat = os.path.join(outdir, sc + ".dat")
        with open(dat, "w") as f:
            for pt in pts:
                f.write("%d %s\n" % (pt, " ".join(
                    str(summary[(sc, pt, s)]["median_pps"]) if (sc, pt, s) in summary else "NaN"
                    for s in systems)))
        cols = ", ".join("'%s.dat' using 1:%d with linespoints lw 2 title '%s'" % (sc, i + 2, SYSNAME[s])
                         for i, s in enumerate(systems))
        plots.append((sc, """set terminal pngcairo size 800,500
set output '%s.png'
set title 'vsw bench: %s scaling (%s, median pps, guest time)'
set logscale x
set xlabel '%s'
set ylabel 'frames/s (icount guest time)'
set yrange [0:*]
set grid
set key bottom left
plot %s
""" % (sc, SCNAME[sc], SCALING[sc][1], SCALING[sc][0], cols)))

    if core:
        dat = os.path.join(outdir, "forwarding.dat")
        with open(dat, "w") as f:
            for sc, pt in core:
                f.write('"%s" %s\n' % (SCNAME[sc], " ".join(
                    str(summary[(sc, pt, s)]["median_pps"]) if (sc, pt, s) in summary else "0"
                    for s in order)))
        cols = ", ".join("'forwarding.dat' using %d:xtic(1) title '%s'" % (i + 2, SYSNAME[s])
                         for i, s in enumerate(order))
        plots.append(("forwarding", """set terminal pngcairo size 1000,560
set output 'forwarding.png'
set title 'vsw bench: forwarding, median pps (icount guest time; higher is better)'
set xtics rotate by -30 scale 0 font ',9'
set bmargin 7
set style data histogram
set style histogram cluster gap 1
set style fill solid border -1
set ylabel 'frames/s'
set yrange [0:*]
set grid ytics
set key top right
plot %s
""" % cols))
    for name, gp in plots:
        with open(os.path.join(outdir, name + ".gp"), "w") as f:
            f.write(gp)

    doc = {
        "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "method": "QEMU TCG -icount shift=0,sleep=off, 1 vCPU, Debian 6.1 guest; pktgen "
                  "xmit_mode netif_receive, 60-byte UDP frames injected into port 0's receive "
                  "path; forwarded = tx_packets of the egress port(s); pps = pktgen Result "
                  "(guest time)",
        "qemu": qemu,
        "info": info,
        "results": [dict(scenario=sc, point=pt, system=s, **v, measurements=meas[(sc, pt, s)])
                    for (sc, pt, s), v in sorted(summary.items(),
                                                 key=lambda kv: (list(SCNAME).index(kv[0][0]),
                                                                 kv[0][1], order.index(kv[0][2])))],
    }
    with open(os.path.join(outdir, "latest.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("\n".join(out))
    notfwd = [k for k, v in summary.items() if not v["forwards"]]
    if notfwd:
        print("WARNING: not forwarding (flagged, not ranked): " +
              ", ".join("%s %s %s" % (SYSNAME[s], sc, pt) for sc, pt, s in notfwd))


if __name__ == "__main__":
    main()
