namespace Berth.Runtime.Oci;

/// <summary>
/// Berth's default seccomp profile: refuse (EPERM) everything not listed; allow what an ordinary process needs; allow
/// the privileged calls (mount, unshare, setns, ptrace…) only when the container holds the capability that makes them
/// meaningful. Equivalent to Docker's default; a unit test compares the two syscall by syscall.
/// </summary>
internal static class DefaultSeccompProfile
{
    private const string CapSysAdmin = "CAP_SYS_ADMIN";
    private const ulong NamespaceCloneFlags = 0x7E020000; // CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET

    // Ordinary process life: files, memory, signals, time, sockets, ids, scheduling, io_uring-free async I/O, SysV IPC.
    private const string Allowed = """
        accept accept4 access adjtimex alarm bind brk cachestat capget capset chdir chmod chown chown32
        clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 clock_gettime clock_gettime64 clock_nanosleep
        clock_nanosleep_time64 close close_range connect copy_file_range creat dup dup2 dup3
        epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2
        execve execveat exit exit_group faccessat faccessat2 fadvise64 fadvise64_64 fallocate fanotify_mark
        fchdir fchmod fchmodat fchmodat2 fchown fchown32 fchownat fcntl fcntl64 fdatasync fgetxattr flistxattr flock fork
        fremovexattr fsetxattr fstat fstat64 fstatat64 fstatfs fstatfs64 fsync ftruncate ftruncate64
        futex futex_requeue futex_time64 futex_wait futex_waitv futex_wake futimesat getcpu getcwd getdents getdents64
        getegid getegid32 geteuid geteuid32 getgid getgid32 getgroups getgroups32 getitimer getpeername getpgid getpgrp
        getpid getppid getpriority getrandom getresgid getresgid32 getresuid getresuid32 getrlimit get_robust_list getrusage
        getsid getsockname getsockopt get_thread_area gettid gettimeofday getuid getuid32 getxattr getxattrat
        inotify_add_watch inotify_init inotify_init1 inotify_rm_watch io_cancel ioctl io_destroy io_getevents io_pgetevents
        io_pgetevents_time64 ioprio_get ioprio_set io_setup io_submit ipc kill
        landlock_add_rule landlock_create_ruleset landlock_restrict_self lchown lchown32 lgetxattr link linkat listen
        listmount listxattr listxattrat llistxattr _llseek lremovexattr lseek lsetxattr lstat lstat64
        madvise map_shadow_stack membarrier memfd_create memfd_secret mincore mkdir mkdirat mknod mknodat
        mlock mlock2 mlockall mmap mmap2 mprotect mq_getsetattr mq_notify mq_open mq_timedreceive mq_timedreceive_time64
        mq_timedsend mq_timedsend_time64 mq_unlink mremap mseal msgctl msgget msgrcv msgsnd msync munlock munlockall munmap
        name_to_handle_at nanosleep newfstatat _newselect open openat openat2 pause pidfd_open pidfd_send_signal pipe pipe2
        pkey_alloc pkey_free pkey_mprotect poll ppoll ppoll_time64 prctl pread64 preadv preadv2 prlimit64 process_mrelease
        pselect6 pselect6_time64 pwrite64 pwritev pwritev2 read readahead readlink readlinkat readv
        recv recvfrom recvmmsg recvmmsg_time64 recvmsg remap_file_pages removexattr removexattrat rename renameat renameat2
        restart_syscall riscv_hwprobe rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn
        rt_sigsuspend rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo
        sched_getaffinity sched_getattr sched_getparam sched_get_priority_max sched_get_priority_min sched_getscheduler
        sched_rr_get_interval sched_rr_get_interval_time64 sched_setaffinity sched_setattr sched_setparam sched_setscheduler
        sched_yield seccomp select semctl semget semop semtimedop semtimedop_time64 send sendfile sendfile64 sendmmsg sendmsg
        sendto setfsgid setfsgid32 setfsuid setfsuid32 setgid setgid32 setgroups setgroups32 setitimer setpgid setpriority
        setregid setregid32 setresgid setresgid32 setresuid setresuid32 setreuid setreuid32 setrlimit set_robust_list setsid
        setsockopt set_thread_area set_tid_address setuid setuid32 setxattr setxattrat shmat shmctl shmdt shmget shutdown
        sigaltstack signalfd signalfd4 sigprocmask sigreturn socketcall socketpair splice stat stat64 statfs statfs64
        statmount statx symlink symlinkat sync sync_file_range syncfs sysinfo tee tgkill time
        timer_create timer_delete timer_getoverrun timer_gettime timer_gettime64 timer_settime timer_settime64
        timerfd_create timerfd_gettime timerfd_gettime64 timerfd_settime timerfd_settime64 times tkill truncate truncate64
        ugetrlimit umask uname unlink unlinkat uretprobe utime utimensat utimensat_time64 utimes vfork vmsplice
        wait4 waitid waitpid write writev
        """;

    // Needs CAP_SYS_ADMIN: anything that changes mounts, namespaces, hostnames or system-wide state.
    private const string SysAdmin = """
        bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie lsm_get_self_attr lsm_list_modules
        lsm_set_self_attr mount mount_setattr move_mount open_tree perf_event_open quotactl quotactl_fd setdomainname
        sethostname setns syslog umount umount2 unshare
        """;

    internal static readonly SeccompProfile Profile = Build();

    private static SeccompProfile Build()
    {
        var rules = new List<SeccompRule>
        {
            new(Words(Allowed), SeccompProfile.ActAllow),
            // Cross-process memory access is as safe as ptrace, which kernels from 4.8 confine to the caller's namespace.
            new(["process_vm_readv", "process_vm_writev", "ptrace"], SeccompProfile.ActAllow, MinKernel: "4.8"),
        };

        // socket(): every address family except AF_VSOCK (40), which reaches the host.
        rules.Add(Allow("socket", Arg(0, 38, "SCMP_CMP_LT")));
        rules.Add(Allow("socket", Arg(0, 39, "SCMP_CMP_EQ")));
        rules.Add(Allow("socket", Arg(0, 40, "SCMP_CMP_GT")));

        // personality(): only the harmless personas (PER_LINUX, PER_LINUX32, UNAME26 variants, and the query 0xffffffff).
        foreach (var persona in new ulong[] { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff })
            rules.Add(Allow("personality", Arg(0, persona, "SCMP_CMP_EQ")));

        // Architecture-specific calls.
        rules.Add(new(["sync_file_range2", "swapcontext"], SeccompProfile.ActAllow, IncludeArches: ["ppc64le"]));
        rules.Add(new(["arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush", "set_tls"],
            SeccompProfile.ActAllow, IncludeArches: ["arm", "arm64"]));
        rules.Add(new(["arch_prctl"], SeccompProfile.ActAllow, IncludeArches: ["amd64", "x32"]));
        rules.Add(new(["modify_ldt"], SeccompProfile.ActAllow, IncludeArches: ["amd64", "x32", "x86"]));
        rules.Add(new(["s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr"], SeccompProfile.ActAllow, IncludeArches: ["s390", "s390x"]));
        rules.Add(new(["riscv_flush_icache"], SeccompProfile.ActAllow, IncludeArches: ["riscv64"]));

        // Capability-gated calls.
        rules.Add(new(["open_by_handle_at"], SeccompProfile.ActAllow, IncludeCaps: ["CAP_DAC_READ_SEARCH"]));
        rules.Add(new(Words(SysAdmin), SeccompProfile.ActAllow, IncludeCaps: [CapSysAdmin]));
        // Without CAP_SYS_ADMIN, clone() may not create namespaces (s390 swaps clone's first two arguments).
        rules.Add(new(["clone"], SeccompProfile.ActAllow, Args: [new SeccompArg(0, NamespaceCloneFlags, 0, "SCMP_CMP_MASKED_EQ")],
            ExcludeCaps: [CapSysAdmin], ExcludeArches: ["s390", "s390x"]));
        rules.Add(new(["clone"], SeccompProfile.ActAllow, Args: [new SeccompArg(1, NamespaceCloneFlags, 0, "SCMP_CMP_MASKED_EQ")],
            ExcludeCaps: [CapSysAdmin], IncludeArches: ["s390", "s390x"]));
        // clone3's flags live in memory seccomp cannot inspect: answer ENOSYS so libc falls back to clone().
        rules.Add(new(["clone3"], SeccompProfile.ActErrno, ErrnoRet: 38, ExcludeCaps: [CapSysAdmin]));

        AddCap(rules, "CAP_SYS_BOOT", "reboot");
        AddCap(rules, "CAP_SYS_CHROOT", "chroot");
        AddCap(rules, "CAP_SYS_MODULE", "delete_module", "init_module", "finit_module");
        AddCap(rules, "CAP_SYS_PACCT", "acct");
        AddCap(rules, "CAP_SYS_PTRACE", "kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace");
        AddCap(rules, "CAP_SYS_RAWIO", "iopl", "ioperm");
        AddCap(rules, "CAP_SYS_TIME", "settimeofday", "stime", "clock_settime", "clock_settime64");
        AddCap(rules, "CAP_SYS_TTY_CONFIG", "vhangup");
        AddCap(rules, "CAP_SYS_NICE", "get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node");
        AddCap(rules, "CAP_SYSLOG", "syslog");
        AddCap(rules, "CAP_BPF", "bpf");
        AddCap(rules, "CAP_PERFMON", "perf_event_open");
        return new SeccompProfile(SeccompProfile.ActErrno, 1, rules);
    }

    private static void AddCap(List<SeccompRule> rules, string cap, params string[] names)
        => rules.Add(new SeccompRule(names, SeccompProfile.ActAllow, IncludeCaps: [cap]));

    private static SeccompRule Allow(string name, SeccompArg arg) => new([name], SeccompProfile.ActAllow, Args: [arg]);

    private static SeccompArg Arg(uint index, ulong value, string op) => new(index, value, 0, op);

    private static string[] Words(string s) => s.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
}
