package clix

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/alecthomas/kong"

	"codexpro.dev/pkg/config"
)

// SettingFlags are the flags of the declared settings of one scope
// (config.Serve, config.Saved, config.Tunnel), built from the declaration
// at run time so a setting is written once. Embed Plugins() in a kong CLI
// struct; after parsing, Given returns exactly the flags the user typed.
type SettingFlags struct {
	settings []*config.Setting
	values   reflect.Value // *struct{...}: one field per setting, in order
}

// NewSettingFlags declares the flags of every setting in scope, except the
// names in skip (a command that spells one of them its own way).
func NewSettingFlags(scope config.Scope, skip ...string) *SettingFlags {
	f := &SettingFlags{}
	var fields []reflect.StructField
	for _, s := range config.In(scope) {
		if s.Secret || contains(skip, s.Name) {
			continue
		}
		f.settings = append(f.settings, s)
		fields = append(fields, reflect.StructField{
			Name: "F" + strconv.Itoa(len(fields)), Type: goType(s.Type), Tag: tag(s),
		})
	}
	f.values = reflect.New(reflect.StructOf(fields))
	return f
}

// Plugins is what a CLI struct embeds to get the flags.
func (f *SettingFlags) Plugins() kong.Plugins { return kong.Plugins{f.values.Interface()} }

// Settings are the declared settings these flags carry, in order.
func (f *SettingFlags) Settings() []*config.Setting { return f.settings }

// Given returns the flags that were on the command line, as text config.Load
// reads. kong records each parsed flag on the context's path, so a flag
// given with its zero value (--port 0, --no-tool-cards) counts as given.
func (f *SettingFlags) Given(kctx *kong.Context) config.Flags {
	given := map[string]bool{}
	for _, p := range kctx.Path {
		if p.Flag != nil && !p.Resolved {
			given[p.Flag.Name] = true
		}
	}
	out := config.Flags{}
	v := f.values.Elem()
	for i, s := range f.settings {
		if !given[s.Name] {
			continue
		}
		switch x := v.Field(i).Interface().(type) {
		case string:
			out[s.Name] = []string{x}
		case bool:
			out[s.Name] = []string{strconv.FormatBool(x)}
		case *bool:
			out[s.Name] = []string{strconv.FormatBool(x != nil && *x)}
		case []string:
			out[s.Name] = x
		}
	}
	return out
}

// Args renders given flags back into a command line for mcpd, in
// declaration order: what tunnelctl passes through.
func Args(given config.Flags, settings []*config.Setting) []string {
	var a []string
	for _, s := range settings {
		vals, ok := given[s.Name]
		if !ok {
			continue
		}
		for _, v := range vals {
			switch {
			case s.Type == config.Switch && v == "true":
				a = append(a, "--"+s.Name)
			case s.Type == config.Switch:
			case s.Type == config.Bool:
				a = append(a, "--"+s.Name+"="+v)
			default:
				a = append(a, "--"+s.Name, v)
			}
		}
	}
	return a
}

func goType(t config.Type) reflect.Type {
	switch t {
	case config.Bool:
		return reflect.TypeFor[*bool]()
	case config.Switch:
		return reflect.TypeFor[bool]()
	case config.List:
		return reflect.TypeFor[[]string]()
	}
	return reflect.TypeFor[string]()
}

func tag(s *config.Setting) reflect.StructTag {
	t := []string{`name:"` + s.Name + `"`, `help:` + strconv.Quote(s.FlagHelp())}
	if s.Placeholder != "" {
		t = append(t, `placeholder:"`+s.Placeholder+`"`)
	}
	switch s.Type {
	case config.Bool:
		t = append(t, `negatable:""`)
	case config.List:
		t = append(t, `sep:"none"`)
	}
	return reflect.StructTag(strings.Join(t, " "))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
