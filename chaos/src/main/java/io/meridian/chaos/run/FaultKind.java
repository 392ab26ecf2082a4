package io.meridian.chaos.run;

/** The faults the nemesis injects, each undone before the next one starts. */
public enum FaultKind {
    /** kill -9 a node, then start it again on the same data. */
    KILL,
    /** SIGSTOP a node, then SIGCONT it. */
    PAUSE,
    /** Cut a node off from the others, then heal. */
    PARTITION
}
