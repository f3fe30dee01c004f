// LLJIT set-up: native target, runtime symbols, the IR pass pipeline.
#include "compiler/jit/jit.hpp"

#include <mutex>

#include "compiler/jit/optimize.hpp"
#include "compiler/jit/runtime_symbols.hpp"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Module.h"
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
}  // namespace

llvm::Expected<std::unique_ptr<Jit>> Jit::create(bool optimize) {
  initialize_llvm_once();
  auto machine = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machine) return machine.takeError();
  machine->setCodeGenOptLevel(optimize ? llvm::CodeGenOptLevel::Default
                                       : llvm::CodeGenOptLevel::None);
  auto lljit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*machine)).create();
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
  return std::unique_ptr<Jit>(new Jit(std::move(*lljit)));
}

llvm::Error Jit::add_module(llvm::orc::ThreadSafeModule module) {
  return jit_->addIRModule(std::move(module));
}

llvm::Expected<void*> Jit::lookup(const std::string& name) {
  auto address = jit_->lookup(name);
  if (!address) return address.takeError();
  return address->toPtr<void*>();
}
}  // namespace boc::jit
