package plugin

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// The query model as TypeScript (src/queryModel.generated.ts), read from models.Query by
// reflection and from its source for the comments, so a field added, renamed, retyped or
// made optional in Go changes the editor's type with it.

// modelField is one field of a Go struct as its JSON carries it.
type modelField struct {
	goName, json string
	typ          reflect.Type
	optional     bool // omitempty: a saved query may lack it
}

// modelFields lists t's JSON fields in order, those of embedded structs in place.
func modelFields(t reflect.Type) []modelField {
	var out []modelField
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			out = append(out, modelFields(f.Type)...)
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		out = append(out, modelField{goName: f.Name, json: name, typ: f.Type, optional: opts == "omitempty"})
	}
	return out
}

// narrowTypes are the query fields whose TypeScript type is narrower than the Go one: the
// unions the module declares, and the one format there is.
var narrowTypes = map[string]string{
	"queryType":  "QueryType",
	"resolution": "Resolution",
	"groupBy":    "GroupBy",
	"format":     "'" + models.FormatPOPMap + "'",
}

// tsType is a Go field type in TypeScript.
func tsType(t reflect.Type) (string, error) {
	switch t.Kind() {
	case reflect.String:
		return "string", nil
	case reflect.Bool:
		return "boolean", nil
	case reflect.Int:
		return "number", nil
	case reflect.Slice:
		elem, err := tsType(t.Elem())
		return elem + "[]", err
	case reflect.Struct:
		return t.Name(), nil
	}
	return "", fmt.Errorf("no TypeScript type for %s: extend tsType", t)
}

// goDocs reads the doc comments of the named structs' fields and of the types themselves from
// the Go files of dir, by "Type" and "Type.Field".
func goDocs(dir string, types ...string) (map[string]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	docs := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, spec := range g.Specs {
				ts := spec.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok || !slices.Contains(types, ts.Name.Name) {
					continue
				}
				docs[ts.Name.Name] = g.Doc.Text()
				for _, field := range st.Fields.List {
					for _, n := range field.Names {
						docs[ts.Name.Name+"."+n.Name] = field.Doc.Text() + field.Comment.Text()
					}
				}
			}
		}
	}
	return docs, nil
}

// jsDoc turns a Go comment into a JSDoc block at indent, or nothing for no comment.
func jsDoc(comment, indent string) string {
	text := strings.TrimSpace(comment)
	if text == "" {
		return ""
	}
	lines := strings.Split(text, "\n")
	if len(lines) == 1 {
		return indent + "/** " + lines[0] + " */\n"
	}
	var b strings.Builder
	b.WriteString(indent + "/**\n")
	for _, l := range lines {
		b.WriteString(strings.TrimRight(indent+" * "+l, " ") + "\n")
	}
	b.WriteString(indent + " */\n")
	return b.String()
}

// constList writes a TypeScript constant list and the union of its values.
func constList(b *strings.Builder, doc, name, union string, values []string) {
	b.WriteString("\n" + jsDoc(doc, ""))
	fmt.Fprintf(b, "export const %s = [\n", name)
	for _, v := range values {
		fmt.Fprintf(b, "  '%s',\n", v)
	}
	b.WriteString("] as const;\n")
	fmt.Fprintf(b, "export type %s = (typeof %s)[number];\n", union, name)
}

// tsInterface writes the interface name of the Go struct t, each field with its comment
// (looked up under the Go struct that declares it, among docOf).
func tsInterface(b *strings.Builder, name, doc string, t reflect.Type, docs map[string]string, docOf ...string) error {
	b.WriteString("\n" + jsDoc(doc, ""))
	fmt.Fprintf(b, "export interface %s {\n", name)
	for _, f := range modelFields(t) {
		typ, ok := narrowTypes[f.json]
		if !ok || t != reflect.TypeFor[models.Query]() {
			var err error
			if typ, err = tsType(f.typ); err != nil {
				return err
			}
		}
		comment := ""
		for _, owner := range docOf {
			if c := docs[owner+"."+f.goName]; c != "" {
				comment = c
				break
			}
		}
		b.WriteString(jsDoc(comment, "  "))
		optional := ""
		if f.optional {
			optional = "?"
		}
		fmt.Fprintf(b, "  %s%s: %s;\n", f.json, optional, typ)
	}
	b.WriteString("}\n")
	return nil
}

// queryModelModule is src/queryModel.generated.ts for the contract c.
func queryModelModule(c editorRegistry) (string, error) {
	docs, err := goDocs("../models", "Query", "ObservabilityFields")
	if err != nil {
		return "", err
	}
	filterDocs, err := goDocs("../fastly", "LogFilter")
	if err != nil {
		return "", err
	}
	var groupBys []string
	editor := []string{"queryType", "services"}
	for _, t := range c.Types {
		for _, g := range append(slices.Clone(t.GroupBy), t.LiveGroupBy...) {
			if !slices.Contains(groupBys, g) {
				groupBys = append(groupBys, g)
			}
		}
		editor = append(editor, append(slices.Clone(t.Fields), t.LiveFields...)...)
	}
	var fields []string // the editor's fields in the model's order
	for _, f := range modelFields(reflect.TypeFor[models.Query]()) {
		if slices.Contains(editor, f.json) {
			fields = append(fields, f.json)
		}
	}

	var b strings.Builder
	b.WriteString("// Written by `go test ./pkg/plugin -run QueryTypesFile -update` from the query model\n" +
		"// (pkg/models) and the query-type registry (pkg/plugin/registry.go): do not edit.\n" +
		"// src/types.ts builds FastlyQuery on QueryModel.\n")
	constList(&b, "The registered query types, in the order users see them.", "QUERY_TYPE_NAMES", "QueryType", typeNames())
	constList(&b, "Every grouping some query type offers; '' keeps one series per metric.", "GROUP_BYS", "GroupBy", groupBys)
	constList(&b, "The values of `resolution`.", "RESOLUTIONS", "Resolution", models.Resolutions)
	constList(&b, "The query fields some type's editor shows, its type and services included.", "EDITOR_FIELDS", "EditorField", fields)
	if err := tsInterface(&b, "LogFilter", filterDocs["LogFilter"], reflect.TypeFor[fastly.LogFilter](), filterDocs, "LogFilter"); err != nil {
		return "", err
	}
	err = tsInterface(&b, "QueryModel", docs["Query"], reflect.TypeFor[models.Query](), docs, "Query", "ObservabilityFields")
	return b.String(), err
}
