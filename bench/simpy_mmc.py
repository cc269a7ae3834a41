"""M/M/c in SimPy 3, the peer headroom's engine benchmark runs beside its own.

The customary SimPy model: a Resource with c servers, a generator process making arrivals, one
process per customer. Prints one JSON line: customers, seconds (wall), cpu (user + system seconds of the run),
customers_per_s (per wall second), mean_wait, peak_rss_kb.
Usage: /usr/bin/python3 bench/simpy_mmc.py CUSTOMERS [LAMBDA MU C SEED]
"""
import json
import random
import resource
import sys
import time

import simpy


def main():
    n = int(sys.argv[1])
    lam = float(sys.argv[2]) if len(sys.argv) > 2 else 9.0
    mu = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    c = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    rnd = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=c)
    stats = {"done": 0, "wait": 0.0}

    def customer():
        arrived = env.now
        with servers.request() as req:
            yield req
            stats["wait"] += env.now - arrived
            yield env.timeout(rnd.expovariate(mu))
        stats["done"] += 1

    def source():
        for _ in range(n):
            env.process(customer())
            yield env.timeout(rnd.expovariate(lam))

    env.process(source())
    t0, c0 = time.perf_counter(), time.process_time()
    env.run()
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({
        "customers": stats["done"],
        "seconds": dt,
        "cpu": cpu,
        "customers_per_s": stats["done"] / dt,
        "mean_wait": stats["wait"] / max(1, stats["done"]),
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))


if __name__ == "__main__":
    main()
