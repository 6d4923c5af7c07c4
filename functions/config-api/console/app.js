document.getElementById("app").textContent = "hookrelay console";
