// Entities the checker knows about (top-level values, types, interfaces, impls, module scopes)
// and the scoped environment of local bindings (a per-name stack with an undo trail, so entering
// and leaving scopes costs O(bindings) and nothing is ever copied).
import type * as S from "../ast/syntax.js";
import type { FnGroup } from "../analyse/group.js";
import type { ProgramModule } from "../analyse/program.js";
import type { ImplRef } from "./annotations.js";
import type { Scheme, TVar, Type } from "./types.js";

export interface FnEntity {
  readonly kind: "fn";
  readonly module: string;
  readonly name: string;
  readonly group: FnGroup;
  readonly pub: boolean;
  scheme: Scheme | null; // final (or declared) scheme
  mono: Type | null; // type while its SCC is being checked
  declared: boolean; // fully annotated: scheme known before checking the body
  rigids: Map<string, TVar> | null; // explicit generics used while checking the body
}
export interface ConstEntity {
  readonly kind: "const";
  readonly module: string;
  readonly name: string;
  readonly def: S.ConstDef;
  readonly index: number; // source order within the module
  scheme: Scheme | null;
  mono: Type | null;
}
export interface ActorEntity {
  readonly kind: "actor";
  readonly module: string;
  readonly name: string;
  readonly def: S.ActorDef;
  scheme: Scheme | null; // Fun(params) -> Pid<M>
  mono: Type | null;
}
export interface ServiceHelper {
  readonly helper: string; // snake-case name, or "start"
  readonly handler: string | null;
  scheme: Scheme | null;
}
export interface ServiceEntity {
  readonly kind: "service";
  readonly module: string;
  readonly name: string;
  readonly def: S.ServiceDef;
  readonly helpers: Map<string, ServiceHelper>;
  checked: boolean;
}
export interface SupervisorEntity {
  readonly kind: "supervisor";
  readonly module: string;
  readonly name: string;
  readonly def: S.SupervisorDef;
}
export type ValueEntity = FnEntity | ConstEntity | ActorEntity | ServiceEntity | SupervisorEntity;

export interface VariantEntity {
  readonly type: TypeDecl;
  readonly name: string;
  readonly tag: number;
  fields: Type[]; // in terms of type.params
}

export interface TypeDecl {
  readonly kind: "struct" | "sum" | "alias" | "builtin";
  readonly qname: string; // "Main.Point", "Int", "Option"
  readonly name: string;
  readonly module: string | null; // null: built-in
  readonly pub: boolean;
  readonly params: TVar[]; // placeholders for the generic parameters
  readonly arity: number; // -1: any number (none of ours)
  fields: { name: string; type: Type; span: S.Span }[];
  variants: VariantEntity[];
  aliasOf: Type | null;
  aliasState: 0 | 1 | 2; // 0 unresolved, 1 resolving, 2 done
  readonly def: S.StructDef | S.SumTypeDef | S.TypeAliasDef | null;
  derives: Set<string>; // effective derives (§3.9)
}

export interface MethodDecl {
  readonly name: string;
  readonly hasSelf: boolean;
  readonly arity: number; // without self
  readonly sig: S.MethodSig | null; // user interfaces
  // built-in interfaces: build the signature for a given Self / interface args / assoc lookup
  readonly build: ((self: Type, args: readonly Type[], assoc: (n: string) => Type) => { params: Type[]; ret: Type }) | null;
  readonly hasDefault: boolean;
}

export interface IfaceDecl {
  readonly qname: string; // "Display", "Main.Describe"
  readonly name: string;
  readonly module: string | null;
  readonly pub: boolean;
  readonly params: string[];
  readonly assoc: string[];
  readonly methods: Map<string, MethodDecl>;
  readonly def: S.InterfaceDef | null;
}

export interface ImplDecl {
  readonly iface: IfaceDecl;
  readonly ifaceArgs: Type[]; // in terms of vars
  readonly target: Type; // in terms of vars
  readonly vars: TVar[];
  readonly varNames: string[];
  readonly key: string;
  readonly module: string;
  readonly decl: S.ImplDef;
  readonly assoc: Map<string, Type>;
  readonly methods: Map<string, FnGroup>;
  readonly bounds: Map<TVar, string[]>; // where T: I on impl type variables
  readonly ref: ImplRef;
}

export type Namespace = { readonly kind: "module"; readonly scope: ModScope } | { readonly kind: "stdlib"; readonly name: string };

export interface ModScope {
  readonly name: string;
  readonly pm: ProgramModule;
  readonly values: Map<string, ValueEntity>;
  readonly types: Map<string, TypeDecl>;
  readonly ifaces: Map<string, IfaceDecl>;
  readonly fromValues: Map<string, ValueEntity[]>;
  readonly fromLib: Map<string, { module: string; name: string }[]>;
  readonly visTypes: Map<string, TypeDecl[]>;
  readonly visVariants: Map<string, VariantEntity[]>; // own and imported variants
  readonly visIfaces: Map<string, IfaceDecl[]>;
  readonly visServices: Map<string, ValueEntity[]>;
  readonly namespaces: Map<string, Namespace>;
  ownVariants: Map<string, VariantEntity[]>;
}

// ---------------------------------------------------------------- local environment

export interface LocalBinding {
  readonly name: string;
  readonly id: number;
  scheme: Scheme;
  readonly fn: boolean; // local function (vs let/param binding)
}

export class LocalEnv {
  private readonly map = new Map<string, LocalBinding[]>();
  private readonly trail: string[] = [];

  mark(): number {
    return this.trail.length;
  }
  reset(mark: number): void {
    while (this.trail.length > mark) {
      const n = this.trail.pop()!;
      const st = this.map.get(n)!;
      st.pop();
    }
  }
  bind(b: LocalBinding): void {
    let st = this.map.get(b.name);
    if (!st) {
      st = [];
      this.map.set(b.name, st);
    }
    st.push(b);
    this.trail.push(b.name);
  }
  lookup(name: string): LocalBinding | undefined {
    const st = this.map.get(name);
    return st && st.length > 0 ? st[st.length - 1] : undefined;
  }
}
