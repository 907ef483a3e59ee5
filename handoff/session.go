package handoff

import (
	"context"
	"fmt"
	"os"
	"time"

	"codexpro.dev/pkg/agentapi/agentpb"
	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/gitx"
	"codexpro.dev/pkg/workspace"
)

// gitMaxOutput bounds what handoff reads from one git call.
const gitMaxOutput = 8 << 20

// session is one handoff invocation: the validated options, the guarded
// workspace, and the user's terminal.
type session struct {
	o    *Options
	io   IO
	fs   *rootFS
	dir  bridge.Dir
	git  git
	rep  *reporter
	ask  *prompter
	now  func() time.Time
	host string
	// blocked is the workspace blocklist: those paths stay out of the files
	// handoff writes for the model (the implementation diff, git status).
	blocked *workspace.Blocklist
}

func newSession(o *Options, io IO) (*session, error) {
	if err := o.normalize(); err != nil {
		return nil, err
	}
	blocked, err := workspace.NewBlocklist(o.BlockedGlobs)
	if err != nil {
		return nil, err
	}
	if err := bridge.ContextDirLinks(o.Root, o.ContextDir); err != nil {
		return nil, err
	}
	fsys, err := openRootFS(o.Root)
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	s := &session{
		o: o, io: io, fs: fsys,
		dir:  bridge.Dir{Context: o.ContextDir, FS: fsys},
		git:  git{root: o.Root, env: gitx.Env(), max: gitMaxOutput},
		ask:  newPrompter(io),
		now:  time.Now,
		host: host, blocked: blocked,
	}
	s.rep = newReporter(io, o.JSON, s.now)
	return s, nil
}

func (s *session) close() {
	s.rep.done()
	s.fs.Close()
}

func (s *session) stamp() string { return s.now().UTC().Format(time.RFC3339Nano) }

// request is the adapter request for plan p.
func (s *session) request(p plan) *agentpb.RunRequest {
	o := s.o
	return &agentpb.RunRequest{
		Root: o.Root, PlanRel: p.Rel, PlanFile: p.Abs, PlanText: p.Text, ContextDir: o.ContextDir,
		Model: o.Model, TimeoutMs: o.Timeout.Milliseconds(), MaxOutputBytes: int64(o.MaxOutputBytes),
		Env: o.agentEnv(), SandboxMode: o.Sandbox, SandboxNet: o.SandboxNet,
		SandboxReadDirs: o.SandboxRead, SandboxWriteDirs: o.SandboxWrite,
	}
}

// log appends an event to execution-log.jsonl; a failure is reported but
// does not stop the run.
func (s *session) log(name string, fields map[string]any) {
	err := s.dir.AppendEvent(bridge.ExecutionLog, bridge.Event{TS: s.stamp(), Name: name, Fields: fields})
	if err != nil {
		s.rep.say("WARN %v", err)
	}
}

// writeState writes handoff-run-state.json.
func (s *session) writeState(st *bridge.RunState) error {
	st.UpdatedAt = s.stamp()
	if err := s.dir.WriteRunState(*st); err != nil {
		return fmt.Errorf("record run state: %w", err)
	}
	return nil
}

// finish marks the run state terminal.
func (s *session) finish(st *bridge.RunState, state string) error {
	fin := s.stamp()
	st.State, st.Phase, st.FinishedAt, st.PID = state, bridge.PhaseDone, &fin, 0
	return s.writeState(st)
}

// preflight checks that the executor's program exists before anything
// runs (plugins build argv that names it).
func (s *session) preflight(ctx context.Context, ex *executor, p plan) (*agentpb.CommandResponse, error) {
	cmd, err := ex.Command(ctx, s.request(p))
	if err != nil {
		return nil, fmt.Errorf("build %s command: %w", ex.name, err)
	}
	if len(cmd.GetArgv()) == 0 {
		return nil, fmt.Errorf("adapter %s returned an empty command", ex.name)
	}
	return cmd, nil
}
