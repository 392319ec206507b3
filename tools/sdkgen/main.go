// Command sdkgen writes the connect-campaign-limits SDK for one language from the plugin's schema, with the
// code generators of github.com/pulumi/pulumi/pkg/v3/codegen: the same packages the official language
// hosts call when `pulumi package gen-sdk` asks them (GeneratePackage). Those hosts are not served by the
// Go module proxy this project can reach; their generators are, inside pkg/v3 — except .NET's and
// Java's, which live in pulumi-dotnet and pulumi-java, neither of which the proxy serves.
//
//	go run . <schema.json> <go|python|nodejs> <out dir>
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"

	"github.com/blang/semver"
)

// noPackages loads no other package: the schema references none, so any attempt is an error.
type noPackages struct{}

var errForeign = errors.New("the schema references another package")

func (noPackages) LoadPackage(string, *semver.Version) (*schema.Package, error) { return nil, errForeign }
func (noPackages) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errForeign
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: sdkgen <schema.json> <go|python|nodejs> <out dir>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintf(os.Stderr, "sdkgen: %v\n", err)
		os.Exit(1)
	}
}

func run(schemaPath, language, out string) error {
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return err
	}
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return diags
	}
	var files map[string][]byte
	switch language {
	case "go":
		files, err = gogen.GeneratePackage("sdkgen", pkg, nil)
	case "python":
		files, err = pythongen.GeneratePackage("sdkgen", pkg, nil, nil)
	case "nodejs":
		files, err = nodejsgen.GeneratePackage("sdkgen", pkg, nil, nil, false, nil)
	default:
		return fmt.Errorf("unknown language %q", language)
	}
	if err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}
