package agentapi

//go:generate protoc --proto_path=agentpb --go_out=agentpb --go_opt=paths=source_relative agent.proto
