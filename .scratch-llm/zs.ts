import { z } from "zod";
const s = z.object({ a: z.string().min(1), b: z.array(z.object({ c: z.number().int().min(0).max(5), d: z.enum(["x","y"]).optional() })).min(2).max(4), e: z.boolean().default(false), f: z.string().nullable() });
console.log(JSON.stringify(z.toJSONSchema(s, { io: "input", unrepresentable: "any" }), null, 1));
console.log(JSON.stringify(z.toJSONSchema(s, { io: "output", unrepresentable: "any" })));
