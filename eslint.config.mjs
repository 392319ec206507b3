// Lint rules: typescript-eslint's type-aware recommended set, plus the rules that keep
// provider code honest (no floating promises, no `any` leaking through).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    {
        ignores: [
            "node_modules/**",
            "dist/**",
            "policy/dist/**",
            "emulator/dist/**",
            "plugin/bin/**",
            ".pulumi-cli/**",
            "eslint.config.mjs",
        ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        rules: {
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-explicit-any": "error",
            "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "separate-type-imports" }],
            curly: ["error", "all"],
            "@typescript-eslint/consistent-type-imports": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
            eqeqeq: ["error", "always"],
        },
    },
    {
        // The packages hold one style: braces always.
        files: ["policy/**/*.ts", "emulator/**/*.ts"],
        rules: { curly: ["error", "all"] },
    },
    {
        // The bin's two-line CommonJS launcher is not part of any TypeScript project.
        files: ["emulator/bin/*.js"],
        ...tseslint.configs.disableTypeChecked,
        languageOptions: {
            ...tseslint.configs.disableTypeChecked.languageOptions,
            sourceType: "commonjs",
            globals: { require: "readonly", process: "readonly" },
        },
        rules: {
            ...tseslint.configs.disableTypeChecked.rules,
            "@typescript-eslint/no-require-imports": "off",
        },
    },
    {
        // Run-time requires on purpose: the forwarding stub's import would be serialized into state with
        // the whole implementation behind it; the lookup loads the AWS SDK only when first used.
        files: ["provider/resource.ts", "provider/lookup.ts"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
