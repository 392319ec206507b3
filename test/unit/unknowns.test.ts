import assert from "node:assert/strict";

import { UNKNOWN, containsUnknown, isUnknown } from "../../provider/unknowns";

describe("unknown values of a preview (unknowns)", () => {
    it("finds the unknown sentinel at any depth, and nowhere else", () => {
        assert.equal(isUnknown(UNKNOWN), true);
        assert.equal(containsUnknown({ a: [{ b: UNKNOWN }] }), true);
        assert.equal(containsUnknown({ a: [{ b: "04da6b54" }], c: null }), false);
        assert.equal(containsUnknown([1, 2, [UNKNOWN]]), true);
    });
});
