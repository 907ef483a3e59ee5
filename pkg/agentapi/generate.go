package agentapi

// The wire contract (agentpb/agent.pb.go and agentpb/agent_grpc.pb.go) is
// generated from agentpb/agent.proto with pinned generators; `make
// generate-check` proves the committed files are exactly what this produces.
//go:generate ../../scripts/protogen
