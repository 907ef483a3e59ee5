package procx

// Other processes, named by pid (tunnelctl status/down, mcpd admin, the
// wait tool): Alive, Stop and Program are implemented per OS in
// process_<os>.go.
