// LLJIT set-up: native target, runtime symbols, the IR pass pipeline, the
// object cache.
#include "compiler/jit/jit.hpp"

#include <mutex>

#include "compiler/jit/build_id.hpp"
#include "compiler/jit/object_cache.hpp"
#include "compiler/jit/optimize.hpp"
#include "compiler/jit/runtime_symbols.hpp"
#include "llvm/Config/llvm-config.h"
#include "llvm/ExecutionEngine/Orc/CompileUtils.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/TargetSelect.h"

namespace boc::jit {

namespace {
void initialize_llvm_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

// LLJIT's compiler for one compile thread (TMOwningSimpleCompiler), made on
// first use: creating the TargetMachine costs about as much as the rest of
// a warm start, and a run whose units all come from the object cache never
// compiles.
class LazyCompiler : public llvm::orc::IRCompileLayer::IRCompiler {
 public:
  LazyCompiler(llvm::orc::JITTargetMachineBuilder machine, llvm::DataLayout layout,
               ObjectCache* cache)
      : IRCompiler(llvm::orc::irManglingOptionsFromTargetOptions(machine.getOptions())),
        machine_(std::move(machine)),
        layout_(std::move(layout)),
        cache_(cache) {}

  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module& module) override {
    if (!compiler_) {
      auto target = machine_.createTargetMachine();
      if (!target) return target.takeError();
      // The layout may have come from the object cache (Jit::create).
      if ((*target)->createDataLayout() != layout_) {
        if (cache_) cache_->forget_data_layout();
        return llvm::make_error<llvm::StringError>(
            "the object cache's data layout does not match the target's; run again",
            llvm::inconvertibleErrorCode());
      }
      compiler_ = std::make_unique<llvm::orc::TMOwningSimpleCompiler>(std::move(*target), cache_);
    }
    return (*compiler_)(module);
  }

 private:
  llvm::orc::JITTargetMachineBuilder machine_;
  llvm::DataLayout layout_;  // the JIT's, which every module was generated for
  ObjectCache* cache_;       // may be null
  std::unique_ptr<llvm::orc::TMOwningSimpleCompiler> compiler_;
};

// The target's data layout: stored in the object cache by an earlier run,
// else from a TargetMachine made to ask (and then stored).
llvm::Expected<llvm::DataLayout> target_data_layout(llvm::orc::JITTargetMachineBuilder& machine,
                                                    ObjectCache* cache) {
  if (cache) {
    if (std::optional<llvm::DataLayout> stored = cache->load_data_layout()) return *stored;
  }
  auto layout = machine.getDefaultDataLayoutForTarget();
  if (layout && cache) cache->store_data_layout(*layout);
  return layout;
}

// Everything besides the IR that decides the object code (object_cache.hpp).
// The executable's build id stands for the compiler itself: a rebuilt boc
// with different passes or runtime entry points never runs an object an
// older one cached.
std::string compiler_configuration(const llvm::orc::JITTargetMachineBuilder& machine,
                                   bool optimize) {
  return std::string("boc " BOC_VERSION " llvm " LLVM_VERSION_STRING "\n") +
         "build " + executable_build_id() + "\n" + machine.getTargetTriple().str() + "\n" +
         machine.getCPU() + "\n" + machine.getFeatures().getString() + "\n" +
         (optimize ? "optimize" : "no-optimize");
}
}  // namespace

llvm::Expected<std::unique_ptr<Jit>> Jit::create(bool optimize, const std::string& cache_dir) {
  initialize_llvm_once();
  auto machine = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machine) return machine.takeError();
  machine->setCodeGenOptLevel(optimize ? llvm::CodeGenOptLevel::Default
                                       : llvm::CodeGenOptLevel::None);
  std::unique_ptr<ObjectCache> cache =
      ObjectCache::open(cache_dir, compiler_configuration(*machine, optimize));
  auto layout = target_data_layout(*machine, cache.get());
  if (!layout) return layout.takeError();
  llvm::orc::LLJITBuilder builder;
  builder.setDataLayout(*layout);
  builder.setJITTargetMachineBuilder(std::move(*machine));
  // No platform: compiled code has no static constructors, destructors or
  // atexit calls for it to run, and setting it up costs a JITDylib and a
  // module per engine.
  builder.setPlatformSetUp(llvm::orc::setUpInactivePlatform);
  // Compiled code calls the runtime and the few C functions LLVM emits calls
  // to, all in runtime_symbols(): nothing is looked up in the process, which
  // the boc command links statically (no dynamic symbol table to search).
  builder.setLinkProcessSymbolsByDefault(false);
  builder.setCompileFunctionCreator(
      [layout = *layout, cache = cache.get()](llvm::orc::JITTargetMachineBuilder machine)
          -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
        return std::make_unique<LazyCompiler>(std::move(machine), layout, cache);
      });
  auto lljit = builder.create();
  if (!lljit) return lljit.takeError();

  llvm::orc::SymbolMap symbols;
  for (const RuntimeSymbol& s : runtime_symbols()) {
    symbols[(*lljit)->mangleAndIntern(s.name)] = {
        llvm::orc::ExecutorAddr::fromPtr(s.address),
        llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  }
  if (auto err = (*lljit)->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(symbols))))
    return err;

  if (optimize) {
    (*lljit)->getIRTransformLayer().setTransform(
        [](llvm::orc::ThreadSafeModule module, llvm::orc::MaterializationResponsibility&) {
          module.withModuleDo([](llvm::Module& m) { optimize_module(m); });
          return llvm::Expected<llvm::orc::ThreadSafeModule>(std::move(module));
        });
  }
  return std::unique_ptr<Jit>(new Jit(std::move(cache), std::move(*lljit)));
}

Jit::Jit(std::unique_ptr<ObjectCache> cache, std::unique_ptr<llvm::orc::LLJIT> jit)
    : cache_(std::move(cache)), jit_(std::move(jit)) {}

Jit::~Jit() = default;

llvm::Error Jit::add_module(llvm::orc::ThreadSafeModule module,
                            const std::vector<codegen::NamedAddress>& addresses) {
  if (!addresses.empty()) {
    llvm::orc::SymbolMap symbols;
    for (const codegen::NamedAddress& a : addresses)
      symbols[jit_->mangleAndIntern(a.symbol)] = {llvm::orc::ExecutorAddr::fromPtr(a.address),
                                                  llvm::JITSymbolFlags::Exported};
    if (auto err = jit_->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(symbols))))
      return err;
  }
  std::string id;
  std::string key;
  if (cache_) {
    key = module.withModuleDo([&](llvm::Module& m) {
      id = m.getModuleIdentifier();
      return cache_->key_of(m);
    });
    if (auto object = cache_->load(key)) return jit_->addObjectFile(std::move(object));
  }
  // Only a module about to be compiled is verified: a cached object's IR,
  // the same by its key, was verified when it was compiled.
  std::string problems;
  bool invalid = module.withModuleDo([&](llvm::Module& m) {
    llvm::raw_string_ostream out(problems);
    return llvm::verifyModule(m, &out);
  });
  if (invalid)
    return llvm::make_error<llvm::StringError>("invalid IR: " + problems,
                                               llvm::inconvertibleErrorCode());
  if (cache_) cache_->expect(id, std::move(key));
  return jit_->addIRModule(std::move(module));
}

llvm::Expected<void*> Jit::lookup(const std::string& name) {
  auto address = jit_->lookup(name);
  if (!address) return address.takeError();
  return address->toPtr<void*>();
}
}  // namespace boc::jit
