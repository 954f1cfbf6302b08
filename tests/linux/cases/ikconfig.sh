# /proc/config.gz (CONFIG_IKCONFIG_PROC): a gzip'd configuration whose
# options for what both kernels provide read the same.
zcat /proc/config.gz | grep -E '^CONFIG_(IKCONFIG_PROC|SECCOMP|SECCOMP_FILTER|KEYS|BSD_PROCESS_ACCT_V3|SYSVIPC|POSIX_MQUEUE|INOTIFY_USER|UNIX98_PTYS|SYSFS)=' | sort
