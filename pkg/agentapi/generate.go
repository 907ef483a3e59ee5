package agentapi

//go:generate protoc --proto_path=agentpb --go_out=agentpb --go_opt=paths=source_relative --go-grpc_out=agentpb --go-grpc_opt=paths=source_relative agent.proto
