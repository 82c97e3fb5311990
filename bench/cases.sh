# The benchmarks of issues 2-7 and 9, one function each, over the engines bench/lib.sh started. Sourced, not run.
# shellcheck shell=bash
#
# Every case times its engines interleaved (one run of each engine per round: berth, docker, podman, berth, ...), so
# drift in the machine's load hits all of them alike. Times are wall-clock ms of the CLI command, as a user sees it.

# Start latency, issue 2: target <= 0.25x Docker's median.
case_start() { # rounds
    bench_def start ms 0.25 "run --rm --network none busybox true"
    local e i
    for e in "${ENGINES[@]}"; do eng "$e" run --rm --network none busybox true >/dev/null 2>>"$T/$e.err" || true; done
    for ((i = 0; i < $1; i++)); do
        for e in "${ENGINES[@]}"; do bench_time start "$e" eng "$e" run --rm --network none busybox true; done
    done
}

# Start on each engine's default bridge (all private bridges), issue 4: target <= 0.25x.
case_bridge() { # rounds
    bench_def bridge ms 0.25 "run --rm busybox true (default bridge)"
    local e i
    for e in "${ENGINES[@]}"; do eng "$e" run --rm busybox true >/dev/null 2>>"$T/$e.err" || true; done
    for ((i = 0; i < $1; i++)); do
        for e in "${ENGINES[@]}"; do bench_time bridge "$e" eng "$e" run --rm busybox true; done
    done
}

# A ~10-step Dockerfile on busybox, issue 6: fresh (--no-cache) and cached, targets <= 0.5x Docker's classic builder.
case_build() { # rounds
    bench_def build_fresh ms 0.5 "build, ~10 steps, --no-cache"
    bench_def build_cached ms 0.5 "build, ~10 steps, all cached"
    local ctx="$T/context" e i
    mkdir -p "$ctx/src" "$ctx/docs"
    printf 'flask==3.0.0\nrequests==2.31.0\n' >"$ctx/requirements.txt"
    for i in $(seq 1 20); do printf 'def f%d():\n    return %d\n' "$i" "$i" >"$ctx/src/module$i.py"; done
    printf 'print("hello")\n' >"$ctx/src/main.py"
    printf 'docs are not shipped\n' >"$ctx/docs/README.md"
    printf 'docs\n*.md\n' >"$ctx/.dockerignore"
    cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM busybox
ARG APP_VERSION=1.0
ENV APP_HOME=/app PYTHONUNBUFFERED=1
WORKDIR $APP_HOME
COPY requirements.txt .
RUN mkdir -p /opt/venv && while read -r pkg; do echo "installing $pkg" && echo "$pkg" >> /opt/venv/installed; done < requirements.txt
RUN echo 'app:x:1000:1000::/app:/bin/sh' >> /etc/passwd && echo 'app:x:1000:' >> /etc/group
COPY --chown=app:app src/ ./src/
RUN find src -name '*.py' | sort > manifest.txt && echo "$APP_VERSION" > version.txt
LABEL org.opencontainers.image.title=bench-app
EXPOSE 8000
USER app
CMD ["cat", "/app/src/main.py"]
DOCKERFILE
    build_cmd() { # engine, extra args
        local e=$1; shift
        if [ "$e" = podman ]; then set -- --layers "$@"; fi
        eng "$e" build --network none "$@" -t bench-app:latest "$ctx"
    }
    for e in "${ENGINES[@]}"; do build_cmd "$e" >/dev/null 2>>"$T/$e.err" || log "$e warm-up build failed: $(tail -n 2 "$T/$e.err")"; done
    for ((i = 0; i < $1; i++)); do
        for e in "${ENGINES[@]}"; do bench_time build_fresh "$e" build_cmd "$e" --no-cache; done
        for e in "${ENGINES[@]}"; do bench_time build_cached "$e" build_cmd "$e"; done
    done
    for e in "${ENGINES[@]}"; do eng "$e" rmi -f bench-app:latest >/dev/null 2>&1 || true; done
}

# A container printing MB megabytes (100-byte lines) to stdout, run to exit, then `logs` of it; issue 7: targets
# <= 0.1x and <= 0.05x Docker's times. Berth keeps the whole log (--log-opt max-size above the size; its default
# rotation would keep only the last 100 MB); Docker's json-file and Podman's k8s-file keep everything by default.
# The lines come from `yes | dd` in 1 MB blocks: busybox's `head -c` (the first writer here) copies byte by byte
# with getc/putchar and burns ~1.2 s of CPU on 200 MB, more than the whole logging path it was meant to load, so
# on a busy 2-core machine it measured busybox. BENCH_LOGS_WRITER=head brings it back, to compare with old runs.
case_logs() { # rounds, MB
    bench_def logs_run ms 0.1 "$2 MB to stdout: run -d + wait"
    bench_def logs_read ms 0.05 "logs of $2 MB"
    local bytes=$(($2 * 1000 * 1000)) line e i s name code got writer
    line=$(printf '%099d' 0)
    writer="yes $line | dd bs=1000000 count=$2 iflag=fullblock 2>/dev/null"
    [ "${BENCH_LOGS_WRITER:-dd}" = head ] && writer="yes $line | head -c $bytes"
    for ((i = 0; i < $1; i++)); do
        for e in "${ENGINES[@]}"; do
            name="logbench-$i"
            local opts=(--network none --name "$name")
            [[ $e == berth* ]] && opts+=(--log-opt "max-size=$(($2 * 2))m")
            s=$(now_us)
            eng "$e" run -d "${opts[@]}" busybox sh -c "$writer" >/dev/null 2>>"$T/$e.err" &&
                code=$(eng "$e" wait "$name" 2>>"$T/$e.err") || code=fail
            if [ "$code" = fail ]; then bench_record logs_run "$e" fail; else bench_record logs_run "$e" "$(( ($(now_us) - s) / 1000 ))"; fi
            s=$(now_us)
            got=$(eng "$e" logs "$name" 2>&1 | wc -c)
            bench_record logs_read "$e" "$(( ($(now_us) - s) / 1000 ))"
            [ "$code" = 0 ] && [ "$got" -eq "$bytes" ] || log "logs: $e round $i: exit $code, logs returned $got of $bytes bytes"
            eng "$e" rm -f "$name" >/dev/null 2>&1 || true
        done
    done
}

# Pull and push of a ~100 MB, three-layer image (gzip layers) from and to Debian's docker-registry on 127.0.0.1;
# issue 3: target <= 0.5x. Each push goes to a fresh, empty registry, so nothing is skipped or mounted.
case_pullpush() { # rounds
    bench_def pull ms 0.5 "pull ~100 MB, 3 layers, loopback registry"
    bench_def push ms 0.5 "push ~100 MB to an empty loopback registry"
    start_registry "$T/reg-src"
    local image="127.0.0.1:$REG_PORT/bench/big:1" e i tls=() src_pid=$REG_PID
    data_cmd() { # MB: half random, half compressible (base64 of random)
        echo "mkdir -p /data && dd if=/dev/urandom of=/data/r-\$\$ bs=1048576 count=$(($1 / 2)) 2>/dev/null && dd if=/dev/urandom bs=1048576 count=$(($1 * 3 / 8)) 2>/dev/null | base64 > /data/t-\$\$"
    }
    log "pull/push: making the image (3 layers, ~100 MB)"
    eng_berth run --network none --name pp-l1 busybox sh -c "$(data_cmd 40)" >/dev/null
    eng_berth commit pp-l1 bench/l1 >/dev/null
    eng_berth run --network none --name pp-l2 bench/l1 sh -c "$(data_cmd 30)" >/dev/null
    eng_berth commit pp-l2 bench/l2 >/dev/null
    eng_berth run --network none --name pp-l3 bench/l2 sh -c "$(data_cmd 30)" >/dev/null
    eng_berth commit -c 'CMD ["sh"]' pp-l3 bench/big:1 >/dev/null
    eng_berth rm pp-l1 pp-l2 pp-l3 >/dev/null
    eng_berth save -o "$T/big.tar" bench/big:1
    skopeo copy -q --dest-compress --dest-tls-verify=false "docker-archive:$T/big.tar" "docker://$image"
    rm -f "$T/big.tar"
    log "pull/push: $image is $(du -sm "$T/reg-src/data" | cut -f1) MB in the registry (gzip layers)"
    eng_berth rmi bench/big:1 bench/l2 bench/l1 >/dev/null
    for ((i = 0; i < $1; i++)); do
        for e in "${ENGINES[@]}"; do
            tls=(); [ "$e" = podman ] && tls=(--tls-verify=false)
            if [ -n "$(eng "$e" images -q "$image" 2>/dev/null)" ]; then eng "$e" rmi -f "$image" >/dev/null 2>>"$T/$e.err"; fi
            [ -z "$(eng "$e" images -q "$image" 2>/dev/null)" ] || die "$e still has $image after rmi: its pull would not be measured"
            bench_time pull "$e" eng "$e" pull -q "${tls[@]}" "$image"
            start_registry "$T/reg-$e-$i"
            eng "$e" tag "$image" "127.0.0.1:$REG_PORT/bench/pushed:1" >/dev/null 2>>"$T/$e.err"
            bench_time push "$e" eng "$e" push -q "${tls[@]}" "127.0.0.1:$REG_PORT/bench/pushed:1"
            eng "$e" rmi "127.0.0.1:$REG_PORT/bench/pushed:1" >/dev/null 2>&1 || true
            stop_pid "$REG_PID"
            rm -rf "$T/reg-$e-$i"
        done
    done
    for e in "${ENGINES[@]}"; do eng "$e" rmi -f "$image" >/dev/null 2>&1 || true; done
    stop_pid "$src_pid"
}

# `ps -a`, `images` and `inspect` with 100 containers and 50 (distinct, imported) images present. No issue target.
case_listing() { # rounds
    bench_def ps ms - "ps -a, 100 containers"
    bench_def images ms - "images, 50 images"
    bench_def inspect ms - "inspect a container, 100 present"
    local e i
    mkdir -p "$T/imgs"
    for i in $(seq 1 50); do mkdir -p "$T/imgs/$i"; echo "$i" >"$T/imgs/$i/n"; tar -C "$T/imgs/$i" -cf "$T/imgs/$i.tar" n; done
    log "listing: creating 100 containers and importing 50 images per engine"
    for e in "${ENGINES[@]}"; do
        [ "$e" = berth-dcli ] && continue   # shares berthd with berth
        for i in $(seq 1 100); do eng "$e" create --network none --name "ls-$i" busybox true >/dev/null 2>>"$T/$e.err" || true; done
        for i in $(seq 1 50); do eng "$e" import "$T/imgs/$i.tar" "bench-list:$i" >/dev/null 2>>"$T/$e.err" || true; done
    done
    for e in "${ENGINES[@]}"; do eng "$e" ps -a >/dev/null 2>&1; eng "$e" images >/dev/null 2>&1; done
    for ((i = 0; i < $1; i++)); do
        for e in "${ENGINES[@]}"; do bench_time ps "$e" eng "$e" ps -a; done
        for e in "${ENGINES[@]}"; do bench_time images "$e" eng "$e" images; done
        for e in "${ENGINES[@]}"; do bench_time inspect "$e" eng "$e" inspect ls-50; done
    done
    for e in "${ENGINES[@]}"; do
        [ "$e" = berth-dcli ] && continue
        local names=() imgs=()
        for i in $(seq 1 100); do names+=("ls-$i"); done
        for i in $(seq 1 50); do imgs+=("bench-list:$i"); done
        eng "$e" rm -f "${names[@]}" >/dev/null 2>&1 || true
        eng "$e" rmi -f "${imgs[@]}" >/dev/null 2>&1 || true
    done
}

# --- memory ------------------------------------------------------------------------------------------------------
rss_kb() { awk '/^VmRSS:/ { print $2; exit }' "/proc/$1/status" 2>/dev/null || echo 0; }
pss_kb() { awk '/^Pss:/ { print $2; exit }' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
daemon_pids() { # the engine's long-lived processes
    case $1 in
        berth) echo "$BERTHD_PID" ;;
        docker) echo "$DOCKERD_PID"; pgrep -P "$DOCKERD_PID" containerd || true ;;   # its private containerd
        *) ;;                                                                       # Podman has no daemon
    esac
}
sum_mem() { # rss|pss pids... -> kB
    local f=$1 t=0 p v; shift
    for p in "$@"; do v=$("${f}_kb" "$p"); t=$((t + ${v:-0})); done
    echo "$t"
}
mb() { awk -v k="$1" -v n="${2:-1}" 'BEGIN { printf "%.2f", k / n / 1024 }'; }

# 20 concurrent `run -d` (time until all returned), then memory: the daemon idle (before) and, per running
# container, what it costs: its monitor (berth-monitor, conmon, containerd-shim) and process, plus the daemon's growth / 20.
case_concurrent() { # rounds
    bench_def concurrent ms - "20 concurrent run -d"
    bench_def mem_idle_rss MB - "daemon RSS idle"
    bench_def mem_idle_pss MB - "daemon PSS idle"
    bench_def mem_ctr_rss MB - "RSS per running container (+monitor, +daemon growth)"
    bench_def mem_ctr_pss MB - "PSS per running container (+monitor, +daemon growth)"
    local e i j s pids dp idle_rss idle_pss busy_rss busy_pss ids ctr_rss ctr_pss n pid mon
    for ((i = 0; i < $1; i++)); do
        for e in "${ENGINES[@]}"; do
            [ "$e" = berth-dcli ] && [ "$i" -gt 0 ] && continue
            sleep 2
            mapfile -t dp < <(daemon_pids "$e")
            idle_rss=$(sum_mem rss "${dp[@]}") idle_pss=$(sum_mem pss "${dp[@]}")
            mkdir -p "$T/cc/$e.$i"
            pids=() s=$(now_us)
            for j in $(seq 1 20); do
                eng "$e" run -d --network none busybox sleep 3600 >"$T/cc/$e.$i/$j" 2>>"$T/$e.err" &
                pids+=($!)
            done
            local failed=0
            for j in "${pids[@]}"; do wait "$j" || failed=$((failed + 1)); done
            if [ $failed -eq 0 ]; then bench_record concurrent "$e" "$(( ($(now_us) - s) / 1000 ))"; else bench_record concurrent "$e" fail; log "concurrent: $e: $failed of 20 failed: $(tail -n 1 "$T/$e.err")"; fi
            sleep 2
            busy_rss=$(sum_mem rss "${dp[@]}") busy_pss=$(sum_mem pss "${dp[@]}")
            mapfile -t ids < <(cat "$T/cc/$e.$i"/* | grep -v '^$')
            ctr_rss=0 ctr_pss=0 n=0
            for j in "${ids[@]}"; do
                pid=$(eng "$e" inspect -f '{{.State.Pid}}' "$j" 2>/dev/null || echo 0)
                [ "${pid:-0}" -gt 0 ] 2>/dev/null || continue
                mon=$(awk '{ print $4 }' "/proc/$pid/stat" 2>/dev/null || echo 0)   # the container's parent: its monitor
                [[ " ${dp[*]} " == *" $mon "* ]] && mon=""                           # unless that is the daemon itself
                ctr_rss=$((ctr_rss + $(sum_mem rss "$pid" $mon))) ctr_pss=$((ctr_pss + $(sum_mem pss "$pid" $mon)))
                n=$((n + 1))
            done
            if [ ${#dp[@]} -gt 0 ]; then
                bench_record mem_idle_rss "$e" "$(mb "$idle_rss")"
                bench_record mem_idle_pss "$e" "$(mb "$idle_pss")"
            fi
            if [ $n -gt 0 ]; then
                bench_record mem_ctr_rss "$e" "$(mb $((ctr_rss * 20 / n + busy_rss - idle_rss)) 20)"
                bench_record mem_ctr_pss "$e" "$(mb $((ctr_pss * 20 / n + busy_pss - idle_pss)) 20)"
            fi
            if [ ${#ids[@]} -gt 0 ]; then eng "$e" rm -f "${ids[@]}" >/dev/null 2>&1 || true; fi
        done
    done
}
